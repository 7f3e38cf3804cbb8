import Foundation
import Testing
@testable import SwitchboardCore

/// `retention: { messages, inbox, sessions, challenges, batch, pause, every }`: bounded windows by
/// default, `forever` only when written, every wrong value reported at its line and column.
@Suite("Retention configuration")
struct RetentionConfigTests {
    /// Line 6 is `retention`; tests give its value.
    static func with(_ value: String) -> String {
        """
        apps:
          demo: { name: Demo, message: "{otp} is your code" }
        \(minimalProviders)
        routes: [{ name: all, providers: [default] }]
        retention: \(value)
        """
    }

    @Test("without the section every kind has a window: messages 90d, inbox 7d, sessions 30d, challenges 1d")
    func defaults() throws {
        let withoutSection = Self.with("{}").replacingOccurrences(of: "retention: {}", with: "")
        let read = try parseConfig(withoutSection).retention
        #expect(read == RetentionSettings())
        #expect(read.messages == .seconds(90 * 86_400))
        #expect(read.inbox == .seconds(7 * 86_400))
        #expect(read.sessions == .seconds(30 * 86_400))
        #expect(read.challenges == .seconds(86_400))
        #expect(read.batch == 50)
        #expect(read.pause == .milliseconds(10))
        #expect(try parseConfig(Self.with("{}")).retention == read)
    }

    @Test("every key is read; forever keeps a kind for good")
    func allKeys() throws {
        let read = try parseConfig(
            Self.with("{ messages: 12h, inbox: forever, sessions: 1d12h, challenges: 10m, batch: 50, pause: 0s, every: 30s }")
        ).retention
        #expect(read.messages == .seconds(12 * 3600))
        #expect(read.inbox == nil)
        #expect(read.sessions == .seconds(36 * 3600))
        #expect(read.challenges == .seconds(600))
        #expect(read.batch == 50)
        #expect(read.pause == .zero)
        #expect(read.every == .seconds(30))
        #expect(read.cutoff(.inbox, now: Date()) == nil)
        let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
        #expect(read.cutoff(.messages, now: now) == now.addingTimeInterval(-12 * 3600))
    }

    @Test func aWindowThatIsNotADuration() {
        expectOne(Self.with("{ messages: 90 days }"), line: 6, column: 24, contains: ["'retention.messages' is \"90 days\"", "such as 90d or 12h", "forever"])
    }

    @Test func aWindowTooShortToBeMeant() {
        expectOne(Self.with("{ inbox: 30s }"), line: 6, column: 21, contains: ["'retention.inbox' is \"30s\"", "from 1m to 36500d"])
    }

    @Test func batchOutOfBounds() {
        expectOne(Self.with("{ batch: 0 }"), line: 6, column: 21, contains: ["'retention.batch' must be a whole number from 1 to 10000"])
    }

    @Test func misspelledKey() {
        expectOne(Self.with("{ message: 90d }"), line: 6, column: 14, contains: ["unknown key 'message'", "did you mean 'messages'"])
    }
}
