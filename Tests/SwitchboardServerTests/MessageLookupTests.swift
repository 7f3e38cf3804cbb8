import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `GET /v1/messages/{id}` shows the message as logged: route, sender, provider, encoding,
/// segments, status, attempts and timestamps.
@Suite("Gateway API message lookup", .timeLimit(.minutes(3)))
struct MessageLookupTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code." }
        providers:
          primary: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: DemoUK, providers: [primary] }
        """

    @Test("a sent message is shown with every logged field, its times from the gateway's clock")
    func shownAsLogged() async throws {
        let clock = ManualClock()
        // The provider takes two seconds of the test's clock to accept.
        let provider = ScriptedProvider("primary") { _ in
            clock.advance(by: .seconds(2))
            return .answer(ProviderResponse(outcome: .accepted, providerMessageID: "SM-0001"))
        }
        try await withApp(providers: [provider], clock: clock) { client, _ in
            // Seventy-one Cyrillic letters: UCS-2, and one more than a single UCS-2 segment holds.
            let text = String(repeating: "ж", count: 71)
            let body = #"{"to": "+44 7700 900123", "app": "demo", "text": "\#(text)"}"#
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(sent.status == .created)
            let id = try #require(try json(sent.body)["id"] as? String)

            let shown = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: Self.auth)
            #expect(shown.status == .ok)
            let record = try json(shown.body)
            #expect(record["id"] as? String == id)
            #expect(record["status"] as? String == "accepted")
            #expect(record["app"] as? String == "demo")
            #expect(record["kind"] as? String == "transactional")
            #expect(record["to"] as? String == "+447700900123")
            #expect(record["country"] as? String == "GB")
            #expect(record["route"] as? String == "uk")
            #expect(record["sender"] as? String == "DemoUK")
            #expect(record["text"] as? String == text)
            #expect(record["provider"] as? String == "primary")
            #expect(record["provider_message_id"] as? String == "SM-0001")
            #expect(record["encoding"] as? String == "UCS-2")
            #expect(record["segments"] as? Int == 2)
            #expect(record["created_at"] as? String == "2027-01-15T08:00:00Z")
            #expect(record["updated_at"] as? String == "2027-01-15T08:00:02Z")

            let attempts = try #require(record["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1)
            let attempt = try #require(attempts.first)
            #expect(attempt["provider"] as? String == "primary")
            #expect(attempt["outcome"] as? String == "accepted")
            #expect(attempt["provider_message_id"] as? String == "SM-0001")
            #expect((attempt["latency_ms"] as? NSNumber)?.doubleValue == 2000)
            #expect(attempt["started_at"] as? String == "2027-01-15T08:00:00Z")
        }
    }
}
