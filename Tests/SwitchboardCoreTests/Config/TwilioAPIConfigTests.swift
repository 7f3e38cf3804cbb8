import Foundation
import Testing
@testable import SwitchboardCore

/// `apps.ID.twilio_api`: an account SID of Twilio's form, a long token, one app per account.
@Suite("Twilio-compatible API configuration")
struct TwilioAPIConfigTests {
    static let sid = "AC0123456789abcdef0123456789abcdef"

    /// The demo app's `twilio_api` goes on line 7; a second app follows it.
    static func yaml(_ account: String, second: String = "") -> String {
        configWithDemoApp(account, moreApps: second)
    }

    @Test func anAccountWithItsTokenFromTheEnvironment() throws {
        let config = try parseConfig(
            Self.yaml("    twilio_api: { account_sid: \(Self.sid), auth_token: \"${TWILIO_TOKEN}\", allow_from: true }"),
            environment: ["TWILIO_TOKEN": "token-from-the-environment"]
        )
        #expect(config.apps.first?.twilioAPI == TwilioAPISettings(accountSID: Self.sid, authToken: "token-from-the-environment", allowFrom: true))
    }

    @Test func aMalformedSIDAndAShortTokenAreReportedWithoutTheToken() {
        let problems = configProblems(Self.yaml("    twilio_api: { account_sid: AC123, auth_token: \"${TWILIO_TOKEN}\" }"), environment: ["TWILIO_TOKEN": "short-token"])
        #expect(problems.map(\.line) == [7, 7])
        #expect(problems.first?.message.contains("AC followed by 32 hex digits") == true)
        #expect(problems.last?.message.contains("shorter than 16 characters") == true)
        #expect(!problems.contains { $0.message.contains("short-token") })
    }

    @Test func oneAccountServesOneApp() {
        let account = "    twilio_api: { account_sid: \(Self.sid), auth_token: token-0123456789abcdef }"
        let second = """
              shop:
                name: Shop
                message: "{otp} is your {app} code."
            \(account)
            """
        let problems = configProblems(Self.yaml(account, second: second))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("is used by apps 'demo' and 'shop'") == true)
    }
}
