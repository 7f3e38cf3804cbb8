/// Why the router picked the rule it picked: every rule tried before it and what each one lacked.
///
/// Plain data, so the command-line tool can print it as text (`description`) or encode it as JSON.
package struct RouteExplanation: Sendable, Hashable, Codable {
    /// The destination in E.164 form.
    package var number: String
    /// The destination's ISO 3166 alpha-2 code.
    package var country: String
    /// The app id as given; empty when the caller named none.
    package var app: String
    package var kind: MessageKind
    /// The rules tried before the match, in order; every rule when nothing matched.
    package var skipped: [SkippedRule]
    /// The rule that matched, or `nil` when none did.
    package var matched: MatchedRule?

    package init(number: String, country: String, app: String, kind: MessageKind, skipped: [SkippedRule], matched: MatchedRule?) {
        self.number = number
        self.country = country
        self.app = app
        self.kind = kind
        self.skipped = skipped
        self.matched = matched
    }

    /// A rule that did not match, and why.
    package struct SkippedRule: Sendable, Hashable, Codable {
        package var name: String
        /// Position of the rule in the configuration, from 0.
        package var ruleIndex: Int
        /// Every condition of the rule that failed, in words.
        package var reasons: [String]

        package init(name: String, ruleIndex: Int, reasons: [String]) {
            self.name = name
            self.ruleIndex = ruleIndex
            self.reasons = reasons
        }

        enum CodingKeys: String, CodingKey {
            case name, reasons
            case ruleIndex = "rule_index"
        }
    }

    /// The rule that matched and what it decided.
    package struct MatchedRule: Sendable, Hashable, Codable {
        package var name: String
        /// Position of the rule in the configuration, from 0.
        package var ruleIndex: Int
        /// The sender as configured; `nil` leaves it to the provider.
        package var sender: String?
        package var providers: [String]
        package var template: String?
        /// The rule's weighted split, tried before `providers`; `nil` when it has none.
        package var split: [WeightedProvider]?

        package init(name: String, ruleIndex: Int, sender: String?, providers: [String], template: String?, split: [WeightedProvider]? = nil) {
            self.name = name
            self.ruleIndex = ruleIndex
            self.sender = sender
            self.providers = providers
            self.template = template
            self.split = split
        }

        enum CodingKeys: String, CodingKey {
            case name, sender, providers, template, split
            case ruleIndex = "rule_index"
        }
    }
}

extension RouteExplanation: CustomStringConvertible {
    /// Several lines: the message, one line per skipped rule, then the outcome.
    package var description: String {
        var lines = ["\(number) (\(country)), app \(Self.displayed(app: app)), kind \(kind.rawValue)"]
        for rule in skipped {
            lines.append("  skipped '\(rule.name)': \(rule.reasons.joined(separator: "; "))")
        }
        if let matched {
            var outcome = "  matched '\(matched.name)': sender \(matched.sender ?? "(provider default)"), "
            if let split = matched.split {
                outcome += "split \(split.map { "\($0.provider) \($0.weight)" }.joined(separator: " / "))"
                if !matched.providers.isEmpty { outcome += ", then providers \(matched.providers.joined(separator: ", "))" }
            } else {
                outcome += "providers \(matched.providers.joined(separator: ", "))"
            }
            if let template = matched.template {
                outcome += ", template \(template)"
            }
            lines.append(outcome)
        } else {
            lines.append("  no rule matched (\(skipped.count) tried); the message cannot be routed")
        }
        return lines.joined(separator: "\n")
    }

    /// An app id for a sentence; the CLI routes without one when `--app` is left out.
    static func displayed(app: String) -> String {
        app.isEmpty ? "(none)" : app
    }
}
