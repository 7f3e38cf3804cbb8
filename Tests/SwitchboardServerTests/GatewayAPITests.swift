import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore

@Suite("Gateway HTTP API")
struct GatewayAPITests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code, valid {minutes} min."
            otp: { expires_in: 10m }
        providers:
          default: { type: default }
        templates:
          fr: "Code {app} : {otp}"
        routes:
          - { name: north-america, match: { countries: [US, CA, PR, VI, GU, AS, MP] }, sender: "+14155550100", providers: [default] }
          - { name: uk, match: { countries: [GB, GG, JE, IM] }, sender: DemoUK, providers: [default] }
          - { name: france-otp, match: { countries: [FR], kinds: [otp] }, sender: DemoFR, providers: [default], template: fr }
          - { name: everyone-else, sender: Demo, providers: [default] }
        """

    @Test("a message sent over HTTP is routed, rendered, kept in the inbox and logged")
    func sendShowsUpInInbox() async throws {
        try await withApp { client, store in
            let body = #"{"to": "+44 7700 900123", "app": "demo", "text": "Your parcel arrives today"}"#
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(sent.status == .created)
            let message = try json(sent.body)
            let id = try #require(message["id"] as? String)
            #expect(message["status"] as? String == "accepted")
            #expect(message["route"] as? String == "uk")
            #expect(message["country"] as? String == "GB")
            #expect(message["sender"] as? String == "DemoUK")
            #expect(message["provider"] as? String == "default")
            #expect(message["encoding"] as? String == "GSM-7")
            #expect(message["segments"] as? Int == 1)
            #expect(sent.headers[.location] == "/v1/messages/\(id)")

            let inbox = await store.inbox(to: "+447700900123", after: nil, limit: 10)
            #expect(inbox.count == 1)
            #expect(inbox.first?.from == "DemoUK")
            #expect(inbox.first?.text == "Your parcel arrives today")
            #expect(inbox.first?.messageID == id)

            let listed = try await client.execute(uri: "/v1/inbox?to=%2B447700900123", method: .get, headers: Self.auth)
            #expect(listed.status == .ok)
            let page = try json(listed.body)
            let entries = try #require(page["messages"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["text"] as? String == "Your parcel arrives today")
            #expect(entries.first?["from"] as? String == "DemoUK")

            let shown = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: Self.auth)
            #expect(shown.status == .ok)
            let record = try json(shown.body)
            #expect(record["id"] as? String == id)
            let attempts = try #require(record["attempts"] as? [[String: Any]])
            #expect(attempts.count == 1)
            #expect(attempts.first?["outcome"] as? String == "accepted")
        }
    }

    @Test("an OTP is rendered from the route's template, delivered in full and logged masked")
    func otpTemplate() async throws {
        try await withApp { client, store in
            let body = #"{"to": "+33 6 12 34 56 78", "app": "demo", "otp": "482913"}"#
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(sent.status == .created)
            let message = try json(sent.body)
            #expect(message["route"] as? String == "france-otp")
            #expect(message["kind"] as? String == "otp")
            #expect(message["text"] as? String == "Code Demo : ******")
            let inbox = await store.inbox(to: "+33612345678", after: nil, limit: 10)
            #expect(inbox.first?.text == "Code Demo : 482913")
            #expect(inbox.first?.from == "DemoFR")
        }
    }

    @Test("an OTP without a route template uses the app's message with its validity")
    func appMessage() async throws {
        try await withApp { client, store in
            let body = #"{"to": "+1 (415) 555-0100", "app": "demo", "otp": "1234"}"#
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(sent.status == .created)
            let inbox = await store.inbox(to: "+14155550100", after: nil, limit: 10)
            #expect(inbox.first?.text == "1234 is your Demo code, valid 10 min.")
            #expect(inbox.first?.from == "+14155550100")
        }
    }

    @Test("requests without a valid API key are refused")
    func unauthorized() async throws {
        try await withApp { client, store in
            let body = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "x"}"#)
            let none = try await client.execute(uri: "/v1/messages", method: .post, body: body)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await client.execute(uri: "/v1/messages", method: .post, headers: [.authorization: "Bearer nope-nope-nope"], body: body)
            #expect(wrong.status == .unauthorized)
            let inbox = try await client.execute(uri: "/v1/inbox", method: .get)
            #expect(inbox.status == .unauthorized)
            #expect(await store.inbox(to: nil, after: nil, limit: 10).isEmpty)
        }
    }

    @Test(
        "bad input gets a 400 that names the problem, and nothing is sent",
        arguments: [
            (#"{"to": "447700900123", "app": "demo", "text": "x"}"#, "invalid_number", "+"),
            (#"{"to": "+44 7700", "app": "demo", "text": "x"}"#, "invalid_number", "short"),
            (#"{"to": "+447700900123", "app": "dmeo", "text": "x"}"#, "unknown_app", "did you mean 'demo'"),
            (#"{"to": "+447700900123", "app": "demo", "txt": "x"}"#, "unknown_field", "did you mean 'text'"),
            (#"{"app": "demo", "text": "x"}"#, "invalid_field", "field 'to' is required"),
            (#"{"to": 447700900123, "app": "demo", "text": "x"}"#, "invalid_field", "field 'to' must be a string"),
            (#"{"to": "+447700900123", "app": "demo", "text": "x", "kind": "sms"}"#, "invalid_field", "'kind'"),
            (#"{"to": "+447700900123", "app": "demo", "text": "x", "otp": "123456"}"#, "invalid_field", "not both"),
            (#"{"to": "+14155550100", "app": "demo", "text": "x", "sender": "ACME"}"#, "sender_refused", "US"),
            (#"{"to": "+447700900123", "app": "demo", "text": "x", "sender": "TOOLONGSENDER"}"#, "invalid_sender", "limit is 11"),
            (#"[1, 2]"#, "invalid_json", "JSON object"),
        ]
    )
    func badInput(body: String, code: String, fragment: String) async throws {
        try await withApp { client, store in
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let error = try #require(try json(response.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == code)
            let message = try #require(error["message"] as? String)
            #expect(message.contains(fragment), "\(message)")
            #expect(await store.inbox(to: nil, after: nil, limit: 10).isEmpty)
            #expect(try await store.recentMessages(to: nil, limit: 10).isEmpty)
        }
    }

    @Test("a message over the segment limit is refused with the count")
    func tooManySegments() async throws {
        try await withApp { client, _ in
            let text = String(repeating: "é", count: 250) + "ç"
            let body = #"{"to": "+447700900123", "app": "demo", "text": "\#(text)"}"#
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let error = try #require(try json(response.body)["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains("UCS-2") == true)
        }
    }

    @Test func unknownMessageIsNotFound() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/v1/messages/msg_missing", method: .get, headers: Self.auth)
            #expect(response.status == .notFound)
        }
    }

    @Test func health() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(try json(response.body)["status"] as? String == "ok")
        }
    }

    @Test("a store that finds out only by writing is always ready")
    func readiness() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status == .ok)
            #expect(try json(response.body)["status"] as? String == "ready")
            #expect(response.headers[.retryAfter] == nil)
        }
    }

    @Test("the inbox pages with after= and validates its parameters")
    func inboxPaging() async throws {
        try await withApp { client, _ in
            for index in 1...3 {
                let body = #"{"to": "+447700900123", "app": "demo", "text": "message \#(index)"}"#
                let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
                #expect(sent.status == .created)
            }
            let first = try json(try await client.execute(uri: "/v1/inbox?limit=2", method: .get, headers: Self.auth).body)
            let firstPage = try #require(first["messages"] as? [[String: Any]])
            #expect(firstPage.map { $0["text"] as? String } == ["message 1", "message 2"])
            let next = try #require(first["next"] as? Int)
            let second = try json(try await client.execute(uri: "/v1/inbox?after=\(next)", method: .get, headers: Self.auth).body)
            #expect((second["messages"] as? [[String: Any]])?.map { $0["text"] as? String } == ["message 3"])
            let bad = try await client.execute(uri: "/v1/inbox?limit=0", method: .get, headers: Self.auth)
            #expect(bad.status == .badRequest)
        }
    }
}
