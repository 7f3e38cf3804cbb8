import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `otp.verified` and `otp.failed`: a code check of an app that subscribed reaches its webhook,
/// with the user and a masked number, never the code.
@Suite("Webhook OTP events", .timeLimit(.minutes(3)))
struct WebhookOTPEventTests {
    @Test func aWrongThenARightCodeAreOneFailedAndOneVerifiedEvent() async throws {
        let receiver = try await FakeHTTPServer { _ in .respond(status: 204) }
        do {
            let yaml = OTPTest.yaml(
                demo: "    webhook: { url: \"\(receiver.baseURL)/hooks\", secret: whsec-test-0123456789abcdefghij, events: [otp.verified, otp.failed] }"
            )
            try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
                let token = try await client.clientToken()
                let userID = try await client.createUser(token)
                #expect(try await client.send(token).status == .ok)
                let code = try await client.latestCode()
                let wrong = code == "000000" ? "111111" : "000000"
                #expect(try await client.authenticate(token, code: wrong).status != .ok)
                #expect(try await client.authenticate(token, code: code).status == .ok)
                for _ in 0..<500 where receiver.requests.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
                let events = receiver.requests.compactMap(\.json)
                #expect(events.count == 2)
                let byType = Dictionary(events.map { ($0["type"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
                let failed = try #require(byType["otp.failed"]?["data"] as? [String: Any])
                let verified = try #require(byType["otp.verified"]?["data"] as? [String: Any])
                #expect(failed["result"] as? String == "wrong")
                #expect(verified["result"] as? String == "approved")
                #expect(verified["user_id"] as? String == userID)
                #expect(verified["to"] as? String == "+44*******123")
                for request in receiver.requests {
                    #expect(!request.bodyText.contains(code))
                    #expect(!request.bodyText.contains(OTPTest.phone))
                }
            }
        } catch {
            await receiver.shutdown()
            throw error
        }
        await receiver.shutdown()
    }
}
