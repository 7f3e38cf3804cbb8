import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// What every JSON endpoint does with a body it must not guess at: the wrong media type, and
/// objects that repeat a member name.
@Suite("JSON request bodies")
struct RequestBodyTests: APISuite {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code."
            clients: [{ id: demo-backend, secret: demo-secret-0123456789 }]
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """

    /// A body as a JSON object, empty when it is not one, so the expectation on a member fails by itself.
    func object(_ buffer: ByteBuffer) -> [String: Any] {
        jsonObject(buffer.readableBytesView) ?? [:]
    }

    static let send = #"{"to": "+447700900123", "app": "demo", "text": "Hello"}"#

    @Test("a JSON endpoint answers 415 naming application/json to any other media type, and sends nothing", arguments: [
        "text/plain", "application/x-www-form-urlencoded", "application/jsonp", nil,
    ])
    func wrongMediaType(contentType: String?) async throws {
        try await withApp { client, store in
            var headers: HTTPFields = [.authorization: "Bearer test-api-key-1"]
            if let contentType { headers[.contentType] = contentType }
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: Self.send))
            #expect(response.status == .unsupportedMediaType)
            let detail = try #require(object(response.body)["error"] as? [String: Any])
            #expect(detail["code"] as? String == "unsupported_media_type")
            #expect((detail["message"] as? String)?.contains("application/json") == true)
            #expect(await store.latestInbox(to: "+447700900123", limit: 10).isEmpty)
        }
    }

    @Test("application/json with parameters and in any letter case is JSON", arguments: ["application/json; charset=utf-8", "Application/JSON"])
    func jsonWithParameters(contentType: String) async throws {
        try await withApp { client, _ in
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: [.authorization: "Bearer test-api-key-1", .contentType: contentType],
                body: ByteBuffer(string: Self.send)
            )
            #expect(response.status == .created)
        }
    }

    @Test("a body that repeats a member name is refused naming it, at the top level and below", arguments: [
        (#"{"to": "+447700900123", "to": "+33612345678", "app": "demo", "text": "Hi"}"#, "to"),
        (#"{"to": "+447700900123", "app": "demo", "text": "Hi", "text": "Bye"}"#, "text"),
    ])
    func repeatedNames(body: String, name: String) async throws {
        try await withApp { client, store in
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: [.authorization: "Bearer test-api-key-1", .contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .badRequest)
            let detail = try #require(object(response.body)["error"] as? [String: Any])
            #expect(detail["code"] as? String == "repeated_field")
            #expect((detail["message"] as? String)?.contains("'\(name)'") == true)
            #expect(await store.latestInbox(to: "+33612345678", limit: 10).isEmpty)
            #expect(await store.latestInbox(to: "+447700900123", limit: 10).isEmpty)
        }
    }

    @Test("the Mosaic API refuses a repeated name and a wrong media type in its own shape")
    func mosaicBodies() async throws {
        try await withApp { client, _ in
            let token = try await client.execute(
                uri: "/oidc/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "grant_type=client_credentials&client_id=demo-backend&client_secret=demo-secret-0123456789")
            )
            let accessToken = try #require(object(token.body)["access_token"] as? String)
            let repeated = try await client.execute(
                uri: "/cis/v1/users", method: .post, headers: [.authorization: "Bearer \(accessToken)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"phone_number": "+447700900172", "custom_data": {"a": 1, "a": 2}}"#)
            )
            #expect(repeated.status == .badRequest)
            let messages = object(repeated.body)["message"] as? [String]
            #expect(messages?.first?.contains("'custom_data' has the member 'a' more than once") == true)
            let plain = try await client.execute(
                uri: "/cis/v1/auth/otp/send", method: .post, headers: [.authorization: "Bearer \(accessToken)", .contentType: "text/plain"],
                body: ByteBuffer(string: #"{"channel": "sms", "identifier": "+447700900172", "identifier_type": "phone_number"}"#)
            )
            #expect(plain.status == .unsupportedMediaType)
            #expect(object(plain.body)["error_code"] as? String == "unsupported_media_type")
        }
    }
}
