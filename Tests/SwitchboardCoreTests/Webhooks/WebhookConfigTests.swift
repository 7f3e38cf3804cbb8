import Testing
@testable import SwitchboardCore

/// `apps.ID.webhook`: a URL to call, a long secret, known events, bounded age and queue, each
/// problem at its FILE:LINE:COLUMN.
@Suite("Webhook configuration")
struct WebhookConfigTests {
    static let secret = "whsec-0123456789abcdef0123456789"

    @Test func aWebhookWithItsSecretFromTheEnvironmentAndTheDefaults() throws {
        let config = try parseConfig(
            configWithDemoApp("    webhook: { url: \"https://hooks.example.com/sb\", secret: \"${HOOK_SECRET}\", events: [message.failed, otp.verified] }"),
            environment: ["HOOK_SECRET": Self.secret]
        )
        let webhook = try #require(config.apps.first?.webhook)
        #expect(webhook.url == "https://hooks.example.com/sb")
        #expect(webhook.secret == Self.secret)
        #expect(webhook.events == [.messageFailed, .otpVerified])
        #expect(webhook.maxAge == .seconds(86_400))
        #expect(webhook.queue == 10_000)
    }

    @Test func maxAgeAndQueueAreRead() throws {
        let config = try parseConfig(
            configWithDemoApp(
                "    webhook: { url: \"http://127.0.0.1:9000/sb\", secret: \(Self.secret), events: [message.accepted], max_age: 2h, queue: 50 }"
            )
        )
        #expect(config.apps.first?.webhook?.maxAge == .seconds(7200))
        #expect(config.apps.first?.webhook?.queue == 50)
    }

    @Test func anUnknownEventIsRefusedWithTheClosestName() {
        expectOne(
            configWithDemoApp("    webhook: { url: \"https://h.example.com/\", secret: \(Self.secret), events: [message.deliverd] }"),
            line: 7, column: 98, contains: ["message.deliverd", "did you mean message.delivered?", "otp.failed"]
        )
    }

    @Test func aShortSecretIsRefusedWithoutPrintingIt() {
        let problems = configProblems(
            configWithDemoApp("    webhook: { url: \"https://h.example.com/\", secret: \"${HOOK_SECRET}\", events: [otp.failed] }"),
            environment: ["HOOK_SECRET": "short-secret"]
        )
        #expect(problems.map(\.line) == [7])
        #expect(problems.first?.message.contains("shorter than 24 characters") == true)
        #expect(problems.contains { $0.message.contains("short-secret") } == false)
    }

    @Test func plainHTTPIsRefusedExceptToALoopbackHost() {
        expectOne(
            configWithDemoApp("    webhook: { url: \"http://hooks.example.com/\", secret: \(Self.secret), events: [otp.failed] }"),
            line: 7, column: 21, contains: ["uses http; use https", "http only to a loopback host"]
        )
    }

    @Test func everyOtherProblemIsReportedAtItsPlace() {
        let problems = configProblems(
            configWithDemoApp("    webhook: { url: \"https://h.example.com/\", secret: \(Self.secret), events: [], max_age: 10s, queue: 0, retries: 3 }")
        )
        #expect(problems.count == 4)
        #expect(problems.contains { $0.message.contains("retries") })
        let fixedKeys = configProblems(
            configWithDemoApp("    webhook: { url: \"https://h.example.com/\", secret: \(Self.secret), events: [], max_age: 10s, queue: 0 }")
        )
        #expect(fixedKeys.map(\.column) == [97, 110, 122])
        #expect(fixedKeys.first?.message.contains("is empty") == true)
        #expect(fixedKeys.dropFirst().first?.message.contains("between 1m and 7d") == true)
        #expect(fixedKeys.last?.message.contains("from 1 to 1000000") == true)
    }

    @Test func aRepeatedEventIsRefused() {
        expectOne(
            configWithDemoApp("    webhook: { url: \"https://h.example.com/\", secret: \(Self.secret), events: [otp.failed, otp.failed] }"),
            line: 7, column: 110, contains: ["a second time"]
        )
    }

    @Test func aTwilioAccountMayAllowPrivateCallbacks() throws {
        let config = try parseConfig(
            configWithDemoApp("    twilio_api: { account_sid: AC0123456789abcdef0123456789abcdef, auth_token: token-0123456789abcdef, allow_private_callbacks: true }")
        )
        #expect(config.apps.first?.twilioAPI?.allowPrivateCallbacks == true)
        let plain = try parseConfig(configWithDemoApp("    twilio_api: { account_sid: AC0123456789abcdef0123456789abcdef, auth_token: token-0123456789abcdef }"))
        #expect(plain.apps.first?.twilioAPI?.allowPrivateCallbacks == false)
    }
}
