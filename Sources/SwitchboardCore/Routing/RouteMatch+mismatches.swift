extension RouteMatch {
    /// How many prefixes a reason lists before it only counts the rest; rules can have thousands.
    static let prefixesShown = 5

    /// Every condition that a message fails, in words; empty when the rule matches.
    ///
    /// This is the reference meaning of a rule, which the router's indexes must reproduce.
    func mismatches(_ number: PhoneNumber, app: String, kind: MessageKind) -> [String] {
        var reasons: [String] = []
        if let countries, !countries.contains(number.region) {
            reasons.append(Self.notOneOf("country \(number.region)", countries.sorted(), listing: "countries"))
        }
        if let prefixes, !prefixes.contains(where: { Self.number(number, startsWith: $0) }) {
            if prefixes.isEmpty {
                reasons.append(Self.emptyList(number.e164, listing: "prefixes"))
            } else {
                var shown = prefixes.prefix(Self.prefixesShown).map { "+\($0)" }.joined(separator: ", ")
                if prefixes.count > Self.prefixesShown {
                    shown += ", ... (and \(prefixes.count - Self.prefixesShown) more)"
                }
                reasons.append("\(number.e164) starts with none of the prefixes \(shown)")
            }
        }
        if let apps, !apps.contains(app) {
            reasons.append(Self.notOneOf("app \(RouteExplanation.displayed(app: app))", apps.sorted(), listing: "apps"))
        }
        if let kinds, !kinds.contains(kind) {
            reasons.append(Self.notOneOf("kind \(kind.rawValue)", kinds.map(\.rawValue).sorted(), listing: "kinds"))
        }
        return reasons
    }

    /// Prefixes are digits; compared byte by byte, as the router's digit trie does, so that a
    /// prefix with anything else in it matches nothing on either path.
    private static func number(_ number: PhoneNumber, startsWith prefix: String) -> Bool {
        prefix.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && number.digits.utf8.starts(with: prefix.utf8)
    }

    private static func notOneOf(_ subject: String, _ items: [String], listing noun: String) -> String {
        items.isEmpty ? emptyList(subject, listing: noun) : "\(subject) is not one of \(items.joined(separator: ", "))"
    }

    /// A condition that is set but empty is easy to write by mistake in YAML (`countries: []`).
    private static func emptyList(_ subject: String, listing noun: String) -> String {
        "\(subject): the rule's list of \(noun) is empty, so nothing matches it"
    }
}
