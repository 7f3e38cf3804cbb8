import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Ory Kratos's HTTP courier: the body Kratos sends, rendered from the request data it gives its
/// Jsonnet (the shipped Integrations/kratos/courier-sms.jsonnet, run by a Jsonnet evaluator), is
/// accepted by `POST /v1/messages` and sent as the app's message.
@Suite("Kratos courier through the shipped Jsonnet", .timeLimit(.minutes(3)))
struct KratosCourierInteropTests {
    /// What Kratos hands its Jsonnet for a login code sent by SMS.
    static let loginCode = #"""
        {"recipient": "+447700900123", "subject": "", "body": "Your login code is: 730512",
         "template_type": "login_code_valid", "message_type": "sms",
         "template_data": {"to": "+447700900123", "login_code": "730512", "identity": {"id": "9f425a8d-7efc-4768-8f23-7647a74fdf13", "traits": {"phone": "+447700900123"}},
                           "request_url": "https://auth.example/self-service/login?flow=1", "transient_payload": {}, "expires_in_minutes": 15}}
        """#
    /// A message without a code.
    static let notice = #"""
        {"recipient": "+447700900123", "subject": "", "body": "A new security key was added to your account.",
         "template_type": "authenticator_key_added", "message_type": "sms", "template_data": {"to": "+447700900123"}}
        """#

    /// The body Kratos would send for `context`, with the shipped Jsonnet set to the test's app.
    static func kratosBody(_ context: String) async throws -> String {
        let python = repositoryPath(".build-fuzz-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "\(python) is missing: run scripts/setup")
        let shipped = try String(contentsOfFile: repositoryPath("Integrations/kratos/courier-sms.jsonnet"), encoding: .utf8)
        let jsonnet = shipped.replacingOccurrences(of: "local app = 'shop';", with: "local app = 'demo';")
        try #require(jsonnet != shipped, "the shipped Jsonnet no longer names its app as `local app = 'shop';`")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kratos-\(UUID().uuidString).jsonnet")
        try jsonnet.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await runExternalTool(python, [repositoryPath("Tests/Interop/kratos_courier.py"), file.path, context])
        try #require(run.status == 0, "the Jsonnet did not evaluate: \(run.output)")
        return run.output
    }

    /// Posts as Kratos's `request_config` does: JSON, with the API key in `Authorization`.
    static func post(_ body: String, _ client: OTPTest.Client) async throws -> OTPTest.Reply {
        let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer test-api-key-1"]
        return OTPTest.Reply(try await client.http.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    /// A code goes out as the app's OTP message; a message without one, with Kratos's text.
    @Test(arguments: [
        (loginCode, "otp", "730512 is your Demo code."),
        (notice, "transactional", "A new security key was added to your account."),
    ])
    func kratossBodyIsSentAsTheJsonnetSays(context: String, kind: String, text: String) async throws {
        let body = try await Self.kratosBody(context)
        try await OTPTest.withApp { client in
            let reply = try await Self.post(body, client)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["kind"] as? String == kind)
            let sent = try await client.inbox.latestInbox(to: OTPTest.phone, limit: 10)
            #expect(sent.map(\.text) == [text])
        }
    }
}
