import Testing
@testable import SwitchboardCore

/// `decide` (the indexes) and `explain` (rule by rule) must give the same answer for any rules
/// and any message. Random rule sets drawn from small alphabets, so that conditions overlap and
/// both matches and misses are common; sizes cross the 64-rule word boundaries.
@Suite struct RouterAgreementTests {
    private static let regions = ["GB", "JE", "FR", "US", "CA", "FI", "DE", "RU", "KZ", "IT"]
    private static let callingCodes = [1, 33, 44, 358, 7]
    private static let apps = ["acme", "beta", "gamma", "delta"]
    private static let digits = Array("01347")

    @Test(arguments: 0..<16)
    func decideAgreesWithExplain(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var matched = 0
        var matchedBeyondFirstWord = 0
        var unmatched = 0
        for _ in 0..<20 {
            // Half the rule sets have no catch-all, so that misses are common too.
            let allowsCatchAll = Bool.random(using: &random)
            let rules = (0..<Int.random(in: 0...200, using: &random)).map {
                Self.randomRule($0, allowsCatchAll: allowsCatchAll, using: &random)
            }
            let router = Router(rules: rules)
            for _ in 0..<150 {
                let number = Self.randomNumber(using: &random)
                let app = Self.apps.randomElement(using: &random) ?? "acme"
                let kind = MessageKind.allCases.randomElement(using: &random) ?? .otp
                let decision = router.decide(number, app: app, kind: kind)
                let explanation = router.explain(number, app: app, kind: kind)
                #expect(decision?.ruleIndex == explanation.matched?.ruleIndex, "\(number) \(app) \(kind)")
                #expect(decision?.rule == explanation.matched?.name)
                #expect(decision?.providers == explanation.matched?.providers)
                #expect(explanation.skipped.map(\.ruleIndex) == Array(0..<(decision?.ruleIndex ?? rules.count)))
                #expect(explanation.skipped.allSatisfy { !$0.reasons.isEmpty })
                if let decision {
                    matched += 1
                    if decision.ruleIndex >= 64 { matchedBeyondFirstWord += 1 }
                } else {
                    unmatched += 1
                }
            }
        }
        // Guards against a generator so tame that the comparison proves nothing.
        #expect(matched > 1000)
        #expect(unmatched > 200)
        #expect(matchedBeyondFirstWord > 50)
    }

    private static func randomRule(_ index: Int, allowsCatchAll: Bool, using random: inout SplitMix64) -> RouteRule {
        var match = RouteMatch()
        if chance(using: &random) {
            match.countries = Set(pick(regions, upTo: 2, using: &random))
        }
        if chance(using: &random) {
            match.prefixes = (0..<Int.random(in: 0...4, using: &random)).map { _ in randomPrefix(using: &random) }
        }
        if chance(using: &random) {
            match.apps = Set(pick(apps, upTo: 2, using: &random))
        }
        if chance(using: &random) {
            match.kinds = Set(pick(MessageKind.allCases, upTo: 2, using: &random))
        }
        if match.isCatchAll, !allowsCatchAll {
            match.countries = Set(pick(regions, upTo: 3, using: &random))
        }
        return RouteRule(name: "rule\(index)", match: match, sender: nil, providers: ["p\(index)"])
    }

    /// Whether a rule gets a condition on one dimension: often, so that a rule matches about one message
    /// in thirty and first matches spread over the whole rule list.
    private static func chance(using random: inout SplitMix64) -> Bool {
        Double.random(in: 0..<1, using: &random) < 0.85
    }

    /// Up to `limit` elements, possibly none (an empty condition list matches nothing).
    private static func pick<T>(_ elements: [T], upTo limit: Int, using random: inout SplitMix64) -> [T] {
        (0..<Int.random(in: 0...limit, using: &random)).compactMap { _ in elements.randomElement(using: &random) }
    }

    /// A calling code followed by a few digits, or just part of a calling code.
    private static func randomPrefix(using random: inout SplitMix64) -> String {
        let code = String(callingCodes.randomElement(using: &random) ?? 44)
        let full = code + randomDigits(Int.random(in: 0...4, using: &random), using: &random)
        return String(full.prefix(Int.random(in: 0...full.count, using: &random)))
    }

    private static func randomNumber(using random: inout SplitMix64) -> PhoneNumber {
        PhoneNumber(
            callingCode: callingCodes.randomElement(using: &random) ?? 44,
            nationalNumber: randomDigits(Int.random(in: 0...8, using: &random), using: &random),
            region: regions.randomElement(using: &random) ?? "GB"
        )
    }

    private static func randomDigits(_ count: Int, using random: inout SplitMix64) -> String {
        String((0..<count).compactMap { _ in digits.randomElement(using: &random) })
    }
}
