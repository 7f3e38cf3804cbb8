import Foundation
import Testing
@testable import SwitchboardCore

/// `delivery.async: { workers, max_queued, poll }`: read with their defaults, and every wrong value
/// reported at its line and column.
@Suite("Asynchronous delivery configuration")
struct AsyncDeliveryConfigTests {
    /// Line 6 is `delivery.async`; tests give its value.
    static func with(_ value: String) -> String {
        """
        apps:
          demo: { name: Demo, message: "{otp} is your code" }
        \(minimalProviders)
        delivery:
          async: \(value)
        routes: [{ name: all, providers: [default] }]
        """
    }

    @Test("no keys: 256 workers, 100000 queued at most, a poll every second")
    func defaults() throws {
        let read = try parseConfig(Self.with("{}")).delivery.asynchronous
        #expect(read == AsyncDeliverySettings(workers: 256, maxQueued: 100_000, poll: .seconds(1)))
        let withoutDelivery = Self.with("{}").replacingOccurrences(of: "delivery:\n  async: {}\n", with: "")
        #expect(!withoutDelivery.contains("delivery"))
        #expect(try parseConfig(withoutDelivery).delivery.asynchronous == read)
    }

    @Test("all three keys are read")
    func allKeys() throws {
        let read = try parseConfig(Self.with("{ workers: 8, max_queued: 50, poll: 250ms }")).delivery.asynchronous
        #expect(read == AsyncDeliverySettings(workers: 8, maxQueued: 50, poll: .milliseconds(250)))
    }

    @Test func workersOutOfBounds() {
        expectOne(Self.with("{ workers: 0 }"), line: 6, column: 21, contains: ["'delivery.async.workers' must be a whole number from 1 to 10000", "\"0\""])
    }

    @Test func maxQueuedNotANumber() {
        expectOne(Self.with("{ max_queued: lots }"), line: 6, column: 24, contains: ["'delivery.async.max_queued' must be a whole number from 1 to 100000000"])
    }

    @Test func misspelledKey() {
        expectOne(Self.with("{ worker: 8 }"), line: 6, column: 12, contains: ["unknown key 'worker'", "did you mean 'workers'"])
    }
}
