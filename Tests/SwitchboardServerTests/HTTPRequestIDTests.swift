import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Every answer carries `X-Request-ID`, and every log line of its request the same id: the caller's
/// when it is a sane token, else one the server made.
@Suite("Request ids", .timeLimit(.minutes(3)))
struct HTTPRequestIDTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """

    static let header = HTTPField.Name("X-Request-ID")!
    static let send = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "hello"}"#)

    @Test("a sane incoming id is answered and on every log line of the request")
    func honoursIncoming() async throws {
        let logs = LogRecords()
        try await withApp(logger: logs.logger(label: "test")) { client, _ in
            var headers = Self.auth
            headers[Self.header] = "trace-4bf92f3577b34da6a3ce929d0e0e4736"
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: Self.send)
            #expect(sent.status == .created)
            #expect(sent.headers[Self.header] == "trace-4bf92f3577b34da6a3ce929d0e0e4736")
        }
        let finished = logs.all.filter { $0.message == "send finished" }
        #expect(finished.count == 1)
        #expect(finished.allSatisfy { $0.metadata["hb.request.id"] == "trace-4bf92f3577b34da6a3ce929d0e0e4736" })
    }

    @Test(
        "an id that is too long, empty or holds other characters is replaced by one the server made",
        arguments: [String(repeating: "a", count: 129), "", "two words", "line\u{7F}", "ünïcode", "a\"b"]
    )
    func replacesInsane(given: String) async throws {
        try await withApp { client, _ in
            var headers = Self.auth
            headers[Self.header] = given
            let answer = try await client.execute(uri: "/healthz", method: .get, headers: headers)
            #expect(answer.status == .ok)
            let id = try #require(answer.headers[Self.header])
            #expect(id != given)
            #expect(!id.isEmpty)
        }
    }

    @Test("error answers carry an id too, and two requests get two ids")
    func errorsAndUniqueness() async throws {
        try await withApp { client, _ in
            let refused = try await client.execute(uri: "/v1/messages", method: .post, headers: [.contentType: "application/json"], body: Self.send)
            #expect(refused.status == .unauthorized)
            let missing = try await client.execute(uri: "/no/such/path", method: .get)
            #expect(missing.status == .notFound)
            let first = try #require(refused.headers[Self.header])
            let second = try #require(missing.headers[Self.header])
            #expect(first != second)
        }
    }
}
