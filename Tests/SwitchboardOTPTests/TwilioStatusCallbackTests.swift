import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardServer

/// A Twilio-API message's `StatusCallback`: called as Twilio calls it, signed as Twilio signs it
/// (checked with the official `twilio` package's RequestValidator), and refused with Twilio's
/// 21609 when it points into the daemon's network without the app allowing it.
@Suite("Twilio StatusCallback", .timeLimit(.minutes(3)))
struct TwilioStatusCallbackTests {
    static func yaml(allowPrivate: Bool) -> String {
        OTPTest.yaml(
            demo: "    twilio_api: { account_sid: \(TwilioMessagesAPITests.account), auth_token: \(TwilioMessagesAPITests.token), allow_private_callbacks: \(allowPrivate) }"
        )
    }

    static func form(callback: String) -> String {
        let escaped = callback.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "To=%2B447700900123&From=%2B15005550006&Body=Hello&StatusCallback=\(escaped)"
    }

    @Test func aPrivateCallbackIsRefusedWith21609AndNothingIsSent() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml(allowPrivate: false))) { client in
            for callback in ["http://127.0.0.1:9000/status", "http://169.254.169.254/latest", "http://10.0.0.7/x", "http://2130706433/", "https://bad_host.example.com/x"] {
                let reply = try await TwilioMessagesAPITests.post(client, Self.form(callback: callback))
                TwilioMessagesAPITests.expectTwilioError(reply, .badRequest, 21609)
            }
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
        }
    }

    @Test func theCallbackIsPostedAndTwiliosValidatorAcceptsItsSignature() async throws {
        let python = repositoryPath(".build-fuzz-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "\(python) is missing: run scripts/setup")
        let receiver = try await FakeHTTPServer { _ in .respond(status: 200) }
        do {
            let url = receiver.baseURL + "/twilio/status?site=eu&n=1"
            try await OTPTest.withApp(config: try OTPTest.config(Self.yaml(allowPrivate: true))) { client in
                let reply = try await TwilioMessagesAPITests.post(client, Self.form(callback: url))
                #expect(reply.status == .created)
                let sid = try #require(reply.json["sid"] as? String)
                for _ in 0..<500 where receiver.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                let callback = try #require(receiver.requests.first, "no status callback arrived")
                #expect(callback.method == "POST")
                #expect(callback.uri == "/twilio/status?site=eu&n=1")
                #expect(callback.header("Content-Type") == "application/x-www-form-urlencoded")
                let signature = try #require(callback.header("X-Twilio-Signature"))
                let run = try await runExternalTool(python, [
                    repositoryPath("Tests/Interop/twilio_status_callback.py"), TwilioMessagesAPITests.token, url, callback.bodyText, signature,
                ])
                try #require(run.status == 0, "\(run.output)")
                let seen = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
                #expect(seen["valid"] as? Bool == true)
                #expect(seen["changed_parameter_valid"] as? Bool == false)
                #expect(seen["other_url_valid"] as? Bool == false)
                let params = try #require(seen["params"] as? [String: String])
                #expect(params["MessageSid"] == sid)
                #expect(params["SmsSid"] == sid)
                #expect(params["MessageStatus"] == "sent")
                #expect(params["SmsStatus"] == "sent")
                #expect(params["AccountSid"] == TwilioMessagesAPITests.account)
                #expect(params["To"] == OTPTest.phone)
                #expect(params["From"] == "Demo")
                #expect(params["ApiVersion"] == "2010-04-01")
                #expect(params["ErrorCode"] == nil)
            }
        } catch {
            await receiver.shutdown()
            throw error
        }
        await receiver.shutdown()
    }
}
