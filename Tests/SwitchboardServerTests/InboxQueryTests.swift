import Foundation
import Hummingbird
import SwitchboardCore
import HummingbirdTesting
import Testing

/// `GET /v1/inbox?to=&after=&limit=`: what the default provider kept for a number, oldest first,
/// a page at a time, `next` being the cursor to pass as `after`.
@Suite("Gateway API inbox query", .timeLimit(.minutes(3)))
struct InboxQueryTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code." }
        providers:
          default: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: DemoUK, providers: [default] }
        """

    static let alice = "+447700900123"
    static let bob = "+447700900456"

    func page(_ client: any TestClientProtocol, _ query: String) async throws -> (texts: [String?], next: Int?) {
        let response = try await client.execute(uri: "/v1/inbox?\(query)", method: .get, headers: Self.auth)
        #expect(response.status == .ok)
        let page = try json(response.body)
        let messages = try #require(page["messages"] as? [[String: Any]])
        return (messages.map { $0["text"] as? String }, page["next"] as? Int)
    }

    @Test("to= keeps one number's messages, oldest first; next pages on; an empty page's next stays where it was")
    func pagesOneNumber() async throws {
        try await withApp { client, _ in
            for (index, to) in [Self.alice, Self.bob, Self.alice, Self.bob, Self.alice].enumerated() {
                let body = #"{"to": "\#(to)", "app": "demo", "text": "message \#(index + 1)"}"#
                let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
                #expect(sent.status == .created)
            }
            let first = try await page(client, "to=%2B447700900123&limit=2")
            #expect(first.texts == ["message 1", "message 3"])
            let cursor = try #require(first.next)

            let second = try await page(client, "to=%2B447700900123&limit=2&after=\(cursor)")
            #expect(second.texts == ["message 5"])
            let last = try #require(second.next)

            let empty = try await page(client, "to=%2B447700900123&after=\(last)")
            #expect(empty.texts.isEmpty)
            #expect(empty.next == last)

            // The number may be spelled as a person writes it.
            let spelled = try await page(client, "to=%2B44%207700%20900456")
            #expect(spelled.texts == ["message 2", "message 4"])
        }
    }

    @Test("after and limit out of range are 400 invalid_parameter naming the parameter and the value", arguments: [
        ("after=-1", "query parameter 'after' must be a sequence number (0 or more), not \"-1\""),
        ("after=latest", "query parameter 'after' must be a sequence number (0 or more), not \"latest\""),
        ("limit=0", "query parameter 'limit' must be from 1 to 1000, not \"0\""),
        ("limit=1001", "query parameter 'limit' must be from 1 to 1000, not \"1001\""),
    ])
    func invalidParameter(query: String, expected: String) async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/v1/inbox?\(query)", method: .get, headers: Self.auth)
            let detail = try errorAnswer(response, .badRequest, code: "invalid_parameter")
            #expect(message(of: detail) == expected)
        }
    }

    @Test("limit=1000, the largest, is accepted")
    func largestLimit() async throws {
        try await withApp { client, _ in
            let largest = try await page(client, "limit=1000")
            #expect(largest.texts.isEmpty)
        }
    }

    @Test("a to= that is not a number is 400 invalid_number")
    func invalidNumber() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(uri: "/v1/inbox?to=alice", method: .get, headers: Self.auth)
            let detail = try errorAnswer(response, .badRequest, code: "invalid_number")
            #expect(message(of: detail).hasPrefix("query parameter 'to': \"alice\" is not a valid number"), "\(message(of: detail))")
        }
    }
}
