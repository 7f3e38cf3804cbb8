extension Router {
    /// Routes one message the slow way, rule by rule, saying why each rule before the match failed.
    ///
    /// For people (the CLI, the admin API), not for sending: it answers exactly as `decide` does,
    /// but its cost grows with the number of rules and it builds strings.
    /// - Parameters:
    ///   - number: The destination.
    ///   - app: The id of the app sending the message.
    ///   - kind: What the message is for.
    /// - Returns: The skipped rules with their reasons, and the matched rule if any.
    package func explain(_ number: PhoneNumber, app: String, kind: MessageKind) -> RouteExplanation {
        var skipped: [RouteExplanation.SkippedRule] = []
        var matched: RouteExplanation.MatchedRule?
        for (index, rule) in rules.enumerated() {
            let reasons = rule.match.mismatches(number, app: app, kind: kind)
            if reasons.isEmpty {
                matched = RouteExplanation.MatchedRule(
                    name: rule.name, ruleIndex: index, sender: rule.sender?.description,
                    providers: rule.providers, template: rule.template, split: rule.split.isEmpty ? nil : rule.split
                )
                break
            }
            skipped.append(RouteExplanation.SkippedRule(name: rule.name, ruleIndex: index, reasons: reasons))
        }
        return RouteExplanation(
            number: number.e164, country: number.region, app: app, kind: kind,
            skipped: skipped, matched: matched
        )
    }
}
