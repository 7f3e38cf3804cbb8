import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /oidc/token` answers a request it cannot read as OAuth does (RFC 6749 §5.2):
/// `400 {"error": "invalid_request", "error_description"}`, never cached.
@Suite("Client token request errors", .timeLimit(.minutes(3)))
struct TokenRequestErrorTests: APISuite {
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

    @Test("a form without grant_type, or one that is not a form, is 400 invalid_request saying so", arguments: [
        ("client_id=demo-backend&client_secret=demo-secret-0123456789", "grant_type is required"),
        ("grant_type=client_credentials&client_id=%zz", "the body must be application/x-www-form-urlencoded"),
    ])
    func invalidRequest(form: String, description: String) async throws {
        try await withApp { client, _ in
            let response = try await client.execute(
                uri: "/oidc/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
            )
            #expect(response.status == .badRequest)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try json(response.body)
            #expect(body["error"] as? String == "invalid_request")
            #expect(body["error_description"] as? String == description)
            #expect(body["access_token"] == nil)
        }
    }
}
