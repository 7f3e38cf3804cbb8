import Foundation
import Testing
@testable import SwitchboardCore

/// `providers.NAME.max_in_flight`, `queue` and `rate`: read with their defaults, and every wrong
/// value reported at its line and column.
@Suite("Provider limits configuration")
struct ProviderLimitsConfigTests {
    /// Line 7 is the `slow` provider; tests replace its `{ type: default }`.
    static let base = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
        providers:
          default: { type: default }
          slow: { type: default }
        routes:
          - { name: all, providers: [slow, default] }
        """

    static func with(_ slow: String) -> String {
        base.replacingOccurrences(of: "slow: { type: default }", with: "slow: \(slow)")
    }

    func limits(_ yaml: String, of name: String) throws -> ProviderLimits {
        try #require(try parseConfig(yaml).providers.first { $0.name == name }).limits
    }

    @Test("no keys: 1024 in flight, a queue of as many, no rate")
    func defaults() throws {
        let read = try limits(Self.base, of: "slow")
        #expect(read.maxInFlight == 1024)
        #expect(read.queue == 1024)
        #expect(read.rate == nil)
    }

    @Test("by default a provider has a slot for every client connection the server allows by default")
    func aSlotForEveryConnection() throws {
        let config = try parseConfig(Self.base)
        let slow = try #require(config.providers.first { $0.name == "slow" })
        #expect(slow.limits.maxInFlight == config.server.connections.maxConnections)
    }

    @Test("all three keys are read")
    func allKeys() throws {
        let read = try limits(Self.with("{ type: default, max_in_flight: 100, queue: 0, rate: 50 }"), of: "slow")
        #expect(read == ProviderLimits(maxInFlight: 100, queue: 0, rate: 50))
    }

    @Test("the queue is as long as max_in_flight unless it is given")
    func queueFollowsMaxInFlight() throws {
        let read = try limits(Self.with("{ type: default, max_in_flight: 8 }"), of: "slow")
        #expect(read.maxInFlight == 8)
        #expect(read.queue == 8)
    }

    @Test func maxInFlightOutOfBounds() {
        expectOne(
            Self.with("{ type: default, max_in_flight: 0 }"), line: 7, column: 41,
            contains: ["'providers.slow.max_in_flight' must be a whole number from 1 to 10000", "\"0\""]
        )
    }

    @Test func negativeQueue() {
        expectOne(Self.with("{ type: default, queue: -1 }"), line: 7, column: 33, contains: ["'providers.slow.queue' must be a whole number from 0 to 100000"])
    }

    @Test func rateNotANumber() {
        expectOne(Self.with("{ type: default, rate: fast }"), line: 7, column: 32, contains: ["'providers.slow.rate' must be a whole number from 1 to 100000", "\"fast\""])
    }

    @Test func misspelledKey() {
        expectOne(Self.with("{ type: default, max_inflight: 8 }"), line: 7, column: 26, contains: ["unknown key 'max_inflight'", "did you mean 'max_in_flight'"])
    }
}
