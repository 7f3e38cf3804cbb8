extension ProviderDefinitionParser.Reader {
    func readClassification(_ node: ConfigNode, fields: [String], decisions allowed: [ProviderDefinition.Decision]) -> ProviderDefinition.Classification? {
        guard let entries = node.mapping(allowedKeys: ["rules", "otherwise"]) else { return nil }
        let decisions = allowed.map(\.rawValue)
        func decision(_ node: ConfigNode) -> ProviderDefinition.Decision? {
            guard let text = node.nonEmptyString() else { return nil }
            guard let value = ProviderDefinition.Decision(rawValue: text.value), allowed.contains(value) else {
                node.report(
                    "\(node.describedPath) must be one of \(decisions.joined(separator: ", ")), not \(text.quoted)\(Suggestion.didYouMean(text.value, among: decisions))"
                )
                return nil
            }
            if value == .refreshToken, !usesOAuth2 {
                node.report("refresh_token needs 'auth.type: oauth2'; this definition has no token to refresh")
                return nil
            }
            return value
        }
        var rules: [ProviderDefinition.Rule] = []
        let known = ["http_status"] + fields
        for item in entries["rules"]?.sequence() ?? [] {
            guard let ruleFields = item.mapping(allowedKeys: ["if", "then"]),
                let ifNode = ConfigParser.required(ruleFields, "if", in: item),
                let thenNode = ConfigParser.required(ruleFields, "then", in: item)
            else { continue }
            var conditions: [ProviderDefinition.Condition] = []
            var rejectedKey = false
            for (field, valuesNode) in ifNode.mapping(validatingKeys: { key in
                if known.contains(key) { return nil }
                rejectedKey = true
                return "'\(key)' is neither http_status nor a field under 'response.fields'\(Suggestion.didYouMean(key, among: known))"
            })?.entries ?? [] {
                guard let values = valuesNode.stringList() else { continue }
                var matchers: [ProviderDefinition.Matcher] = []
                for value in values {
                    guard let matcher = Self.matcher(value.value, numericOnly: field == "http_status") else {
                        value.node.report("\(value.quoted) is not a status; write 201, 200-299 or 5xx")
                        continue
                    }
                    matchers.append(matcher)
                }
                if matchers.isEmpty {
                    valuesNode.report("\(valuesNode.describedPath) lists no values")
                    continue
                }
                conditions.append(ProviderDefinition.Condition(field: field, matchers: matchers))
            }
            if conditions.isEmpty {
                if !rejectedKey { ifNode.report("a rule needs at least one condition") }
                continue
            }
            guard let decision = decision(thenNode) else { continue }
            rules.append(ProviderDefinition.Rule(conditions: conditions, decision: decision, line: item.line))
        }
        var otherwise = ProviderDefinition.Decision.retryable
        if let node = entries["otherwise"], let value = decision(node) {
            if value == .refreshToken {
                node.report("'otherwise' cannot be refresh_token; say what an unknown answer means")
            } else {
                otherwise = value
            }
        }
        return ProviderDefinition.Classification(rules: rules, otherwise: otherwise)
    }

    /// `201`, `200-299`, `5xx`, `*` (present), `-` (absent), or any other text, matched as written.
    static func matcher(_ text: String, numericOnly: Bool) -> ProviderDefinition.Matcher? {
        if text == "*" { return .present }
        if text == "-" { return .absent }
        if text.count == 3, text.hasSuffix("xx"), let first = text.first?.wholeNumberValue { return .statusClass(first) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low <= high { return .range(low...high) }
        if numericOnly, Int(text) == nil { return nil }
        return .exact(text)
    }
}
