import Foundation
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Twilio's own Python SDK (`twilio` from PyPI, installed by scripts/setup), with only its base
/// URL changed, against a live server: it sends, reads the message back, and gets its own
/// exception with Twilio's codes for an invalid number, a missing body, a wrong token and an
/// unknown message.
@Suite("Twilio's SDK against the Messages API", .timeLimit(.minutes(3)))
struct TwilioSDKInteropTests {
    @Test func theSDKSendsFetchesAndReadsErrorsUnchanged() async throws {
        let python = repositoryPath(".build-fuzz-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "\(python) is missing: run scripts/setup")
        try await OTPTest.withApp(config: try OTPTest.config(TwilioMessagesAPITests.yaml()), testing: .live) { client in
            let port = try #require(client.http.port)
            let run = try await runExternalTool(python, [
                repositoryPath("Tests/Interop/twilio_messages.py"), "http://127.0.0.1:\(port)", TwilioMessagesAPITests.account,
                TwilioMessagesAPITests.token, OTPTest.phone,
            ])
            try #require(run.status == 0, "the Twilio SDK run failed: \(run.output)")
            let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
            let created = try #require(seen["created"] as? [String: Any])
            let fetched = try #require(seen["fetched"] as? [String: Any])
            #expect(created["status"] as? String == "sent")
            #expect(created["account_sid"] as? String == TwilioMessagesAPITests.account)
            #expect(created["to"] as? String == OTPTest.phone)
            #expect(created["body"] as? String == "Your order has shipped.")
            #expect(created["num_segments"] as? String == "1")
            #expect(created["direction"] as? String == "outbound-api")
            #expect(seen["created_date"] is String)
            #expect(fetched["sid"] as? String == created["sid"] as? String)
            #expect(fetched["status"] as? String == "sent")
            for (name, status, code) in [("invalid_to", 400, 21211), ("no_body", 400, 21602), ("wrong_token", 401, 20003), ("unknown_sid", 404, 20404)] {
                let refusal = seen[name] as? [String: Any]
                #expect(refusal?["status"] as? Int == status, "\(name): \(refusal ?? [:])")
                #expect(refusal?["code"] as? Int == code, "\(name): \(refusal ?? [:])")
            }
            let sent = try await client.inbox.latestInbox(to: OTPTest.phone, limit: 10)
            #expect(sent.map(\.text) == ["Your order has shipped."])
        }
    }
}
