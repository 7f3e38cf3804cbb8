import SwitchboardCore

/// A large seeded-random routing configuration, and messages to route through it that match
/// early rules, late rules, or only the catch-all at the end.
struct RouteWorkload {
    struct Country {
        var region: String
        var callingCode: Int
        var nationalLength: Int
    }

    struct Message {
        var number: PhoneNumber
        var app: String
        var kind: MessageKind
    }

    static let countries = [
        Country(region: "GB", callingCode: 44, nationalLength: 10), Country(region: "FR", callingCode: 33, nationalLength: 9),
        Country(region: "DE", callingCode: 49, nationalLength: 11), Country(region: "US", callingCode: 1, nationalLength: 10),
        Country(region: "CA", callingCode: 1, nationalLength: 10), Country(region: "ES", callingCode: 34, nationalLength: 9),
        Country(region: "IT", callingCode: 39, nationalLength: 10), Country(region: "NL", callingCode: 31, nationalLength: 9),
        Country(region: "BE", callingCode: 32, nationalLength: 9), Country(region: "CH", callingCode: 41, nationalLength: 9),
        Country(region: "SE", callingCode: 46, nationalLength: 9), Country(region: "FI", callingCode: 358, nationalLength: 9),
        Country(region: "PL", callingCode: 48, nationalLength: 9), Country(region: "IE", callingCode: 353, nationalLength: 9),
        Country(region: "IN", callingCode: 91, nationalLength: 10), Country(region: "BR", callingCode: 55, nationalLength: 11),
        Country(region: "MX", callingCode: 52, nationalLength: 10), Country(region: "JP", callingCode: 81, nationalLength: 10),
        Country(region: "AU", callingCode: 61, nationalLength: 9), Country(region: "SG", callingCode: 65, nationalLength: 8),
        Country(region: "ZA", callingCode: 27, nationalLength: 9), Country(region: "NG", callingCode: 234, nationalLength: 10),
        Country(region: "AE", callingCode: 971, nationalLength: 9), Country(region: "TR", callingCode: 90, nationalLength: 10),
    ]
    /// A country no rule names: its messages pass every rule but the catch-all.
    static let unrouted = Country(region: "NZ", callingCode: 64, nationalLength: 9)
    static let apps = (0..<20).map { "app\($0)" }

    let rules: [RouteRule]
    let prefixCount: Int
    let messages: [Message]

    /// - Parameters:
    ///   - ruleCount: Rules in all, the catch-all included.
    ///   - prefixCount: Prefixes in all, spread over the rules that have a prefix condition.
    ///   - messageCount: Messages to make.
    ///   - seed: The same seed gives the same workload.
    init(ruleCount: Int, prefixCount: Int, messageCount: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let conditional = ruleCount - 1

        // Most rules have prefixes (operator ranges, test numbers); each gets one and the rest land at random.
        let prefixRules = (0..<conditional).filter { _ in Int.random(in: 0..<20, using: &random) != 0 }
        var prefixesPerRule = Array(repeating: 0, count: conditional)
        for (position, rule) in prefixRules.enumerated() where position < prefixCount {
            prefixesPerRule[rule] = 1
        }
        for _ in 0..<max(0, prefixCount - prefixRules.count) {
            if let rule = prefixRules.randomElement(using: &random) {
                prefixesPerRule[rule] += 1
            }
        }

        var rules: [RouteRule] = []
        for index in 0..<conditional {
            let home = Self.countries.randomElement(using: &random) ?? Self.unrouted
            var match = RouteMatch()
            if prefixesPerRule[index] > 0 {
                // Long enough that a message aimed at a late rule is seldom taken by an earlier one.
                match.prefixes = (0..<prefixesPerRule[index]).map { _ in
                    "\(home.callingCode)" + Self.digits(Int.random(in: 3...6, using: &random), using: &random)
                }
                if Int.random(in: 0..<10, using: &random) < 3 {
                    match.countries = [home.region]
                }
                if Int.random(in: 0..<10, using: &random) < 3 {
                    match.apps = Set((0..<Int.random(in: 1...3, using: &random)).compactMap { _ in Self.apps.randomElement(using: &random) })
                }
                if Int.random(in: 0..<4, using: &random) == 0 {
                    match.kinds = [MessageKind.allCases.randomElement(using: &random) ?? .otp]
                }
            } else {
                // Every rule names a country or a prefix, so that only the catch-all takes `unrouted`.
                match.countries = [home.region]
                match.apps = [Self.apps.randomElement(using: &random) ?? "app0"]
                match.kinds = [MessageKind.allCases.randomElement(using: &random) ?? .otp]
            }
            rules.append(RouteRule(name: "rule-\(index)", match: match, sender: .alphanumeric("ACME"), providers: ["p\(index % 7)", "default"]))
        }
        rules.append(RouteRule(name: "everyone-else", sender: .alphanumeric("ACME"), providers: ["default"]))

        var messages: [Message] = []
        for index in 0..<messageCount {
            switch index % 3 {
            case 0: messages.append(Self.message(for: rules[Int.random(in: 0..<min(50, conditional), using: &random)], using: &random))
            case 1: messages.append(Self.message(for: rules[Int.random(in: max(0, conditional - 100)..<conditional, using: &random)], using: &random))
            default: messages.append(Self.message(for: rules[conditional], using: &random))
            }
        }
        messages.shuffle(using: &random)

        self.rules = rules
        self.prefixCount = rules.reduce(0) { $0 + ($1.match.prefixes?.count ?? 0) }
        self.messages = messages
    }

    /// A message that the rule accepts (an earlier rule may take it first); for the catch-all, one
    /// to the country no other rule names.
    private static func message(for rule: RouteRule, using random: inout SplitMix64) -> Message {
        let match = rule.match
        var country = unrouted
        var leading = ""
        if let prefix = match.prefixes?.randomElement(using: &random),
           let owner = countries.first(where: { prefix.hasPrefix("\($0.callingCode)") && match.countries?.contains($0.region) ?? true }) {
            country = owner
            leading = String(prefix.dropFirst("\(owner.callingCode)".count))
        } else if let region = match.countries?.randomElement(using: &random), let named = countries.first(where: { $0.region == region }) {
            country = named
        }
        let national = leading + digits(max(0, country.nationalLength - leading.count), using: &random)
        return Message(
            number: PhoneNumber(callingCode: country.callingCode, nationalNumber: national, region: country.region),
            app: match.apps?.randomElement(using: &random) ?? apps.randomElement(using: &random) ?? "app0",
            kind: match.kinds?.randomElement(using: &random) ?? MessageKind.allCases.randomElement(using: &random) ?? .otp
        )
    }

    private static func digits(_ count: Int, using random: inout SplitMix64) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
    }
}
