import Foundation
import Testing
@testable import SwitchboardCore

/// The configuration keys of the failover engine: `split`, `on_ambiguous`, `delivery.breaker`.
@Suite("Failover configuration")
struct FailoverConfigTests {
    /// Lines 1–12.
    static let base = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
        providers:
          default: { type: default }
          twilio: { type: default }
          sfmc: { type: default }
        routes:
          - name: uk
            split: [{ provider: twilio, weight: 70 }, { provider: sfmc, weight: 30 }]
            providers: [default]
        """

    @Test("a split, fallbacks, an ambiguous policy and breaker settings are read")
    func valid() throws {
        let yaml = Self.base + """

                on_ambiguous: stop
            delivery:
              breaker: { failures: 4, failure_rate: 40%, window: 2m, min_requests: 50, open_for: 45s }
            """
        let config = try parseConfig(yaml)
        let route = try #require(config.routes.first)
        #expect(route.split == [WeightedProvider(provider: "twilio", weight: 70), WeightedProvider(provider: "sfmc", weight: 30)])
        #expect(route.providers == ["default"])
        #expect(route.onAmbiguous == .stop)
        #expect(config.delivery.breaker == BreakerSettings(consecutiveFailures: 4, failureRatePercent: 40, window: .seconds(120), minimumRequests: 50, openFor: .seconds(45)))
        let decision = try #require(Router(rules: config.routes).decide(try PhoneNumberParser.parse("+447700900123"), app: "demo", kind: .otp))
        #expect(decision.split == route.split)
        #expect(DeliveryPlan(decision, kind: .otp).onAmbiguous == .stop)
    }

    @Test("defaults: no breaker key gives 5 failures and 30s; no policy leaves it to the kind")
    func defaults() throws {
        let config = try parseConfig(Self.base)
        #expect(config.delivery.breaker == BreakerSettings())
        #expect(config.routes[0].onAmbiguous == nil)
    }

    @Test("a split alone needs no providers list")
    func splitAlone() throws {
        let yaml = Self.base.replacingOccurrences(of: "\n    providers: [default]", with: "")
        let config = try parseConfig(yaml)
        #expect(config.routes[0].providers.isEmpty)
        #expect(config.routes[0].split.count == 2)
    }

    @Test func splitUnknownProvider() {
        let yaml = Self.base.replacingOccurrences(of: "provider: sfmc,", with: "provider: smfc,")
        expectOne(yaml, line: 11, column: 59, contains: ["provider 'smfc' is not defined", "did you mean 'sfmc'"])
    }

    @Test func splitWeightBelowOne() {
        let yaml = Self.base.replacingOccurrences(of: "weight: 30", with: "weight: 0")
        expectOne(yaml, line: 11, column: 73, contains: ["weight", "from 1 to 1000000", "\"0\""])
    }

    @Test func splitDuplicate() {
        let yaml = Self.base.replacingOccurrences(of: "provider: sfmc,", with: "provider: twilio,")
        expectOne(yaml, line: 11, column: 59, contains: ["'twilio' appears twice", "split"])
    }

    @Test func splitMemberAlsoInFallbacks() {
        let yaml = Self.base.replacingOccurrences(of: "providers: [default]", with: "providers: [default, sfmc]")
        expectOne(yaml, line: 12, column: 26, contains: ["'sfmc' is already in this route's 'split'"])
    }

    @Test func splitMissingWeight() {
        let yaml = Self.base.replacingOccurrences(of: ", weight: 30", with: "")
        expectOne(yaml, line: 11, column: 47, contains: ["needs 'weight'"])
    }

    @Test func splitEmpty() {
        let yaml = Self.base.replacingOccurrences(of: "split: [{ provider: twilio, weight: 70 }, { provider: sfmc, weight: 30 }]", with: "split: []")
        expectOne(yaml, line: 11, column: 12, contains: ["'routes[0].split' is empty"])
    }

    @Test func unknownAmbiguousPolicy() {
        expectOne(Self.base + "\n    on_ambiguous: contine", line: 13, column: 19, contains: ["did you mean 'continue'", "continue", "stop"])
    }

    @Test func breakerFailureRateOutOfRange() {
        expectOne(Self.base + "\ndelivery:\n  breaker: { failure_rate: 150% }", line: 14, column: 28, contains: ["percentage from 1% to 100%", "\"150%\""])
    }

    @Test func breakerUnknownKey() {
        expectOne(Self.base + "\ndelivery:\n  breaker:\n    open_fr: 30s", line: 15, column: 5, contains: ["unknown key 'open_fr'", "did you mean 'open_for'"])
    }

    @Test func breakerWindowWithoutRate() {
        expectOne(Self.base + "\ndelivery:\n  breaker: { window: 30s }", line: 14, column: 22, contains: ["only matters with 'delivery.breaker.failure_rate'"])
    }

    @Test func breakerFailuresZero() {
        expectOne(Self.base + "\ndelivery:\n  breaker: { failures: 0 }", line: 14, column: 24, contains: ["from 1 to 10000"])
    }
}

extension FailoverConfigTests {
    @Test("route explanations show the split before the fallbacks")
    func explanationShowsSplit() throws {
        let config = try parseConfig(Self.base)
        let explanation = Router(rules: config.routes).explain(try PhoneNumberParser.parse("+447700900123"), app: "demo", kind: .otp)
        #expect(explanation.matched?.split == config.routes[0].split)
        #expect(explanation.description.contains("split twilio 70 / sfmc 30, then providers default"))
    }
}
