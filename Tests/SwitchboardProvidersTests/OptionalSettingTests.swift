import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// The optional settings of the shipped types (README, "Configuration reference"): sent when given,
/// absent when not; and a message without the sender a type needs is never sent.
@Suite("optional provider settings", .timeLimit(.minutes(3)))
struct OptionalSettingTests {
    func vonageSettings(_ fake: FakeVonage, extra: String = "") -> String {
        "api_key: \(fake.apiKey)\napi_secret: \(fake.apiSecret)\nbase_url: \(fake.server.baseURL)\n" + extra
    }

    @Test("vonage's callback is our receipt URL, with its token, when receipts are enabled, and left out when not")
    func vonageCallback() async throws {
        let fake = try await FakeVonage()
        let with = try await withProvider(type: "vonage", settings: vonageSettings(fake, extra: "receipts: { public_url: https://sms.example.com, token: abcdefghijklmnop0123 }")) {
            await send($0, try message())
        }
        let without = try await withProvider(type: "vonage", settings: vonageSettings(fake)) {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(with.outcome == .accepted)
        #expect(without.outcome == .accepted)
        #expect(fake.requests.map { $0.formField("callback") } == ["https://sms.example.com/v1/receipts/p?token=abcdefghijklmnop0123", nil])
    }

    @Test("twilio's validity_period is sent as ValidityPeriod when set, and left out when not")
    func twilioValidityPeriod() async throws {
        let fake = try await FakeTwilio()
        let base = fake.settings
        let with = try await withProvider(type: "twilio", settings: base + "\nvalidity_period: \"600\"") { await send($0, try message()) }
        let without = try await withProvider(type: "twilio", settings: base) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(with.outcome == .accepted)
        #expect(without.outcome == .accepted)
        #expect(fake.requests.map { $0.formField("ValidityPeriod") } == ["600", nil])
    }

    @Test("a type that sends the sender gets no request without one: retryable, nothing sent")
    func noSender() async throws {
        let fake = try await FakeVonage()
        let response = try await withProvider(type: "vonage", settings: vonageSettings(fake)) {
            await send($0, try message(sender: nil))
        }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "request_unbuildable")
        #expect(response.message == "the request needs {message.sender}, which has no value")
        #expect(fake.requests.isEmpty)
    }
}
