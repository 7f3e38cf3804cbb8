import Yams

extension ProviderDefinitionParser.Reader {
    /// `kind:`, read before anything else because it decides which keys the definition may have.
    /// Absent means `delivery`.
    func readKind(_ root: ConfigNode) -> ProviderDefinition.Kind? {
        guard case .mapping(let raw) = root.node, let kindValue = raw["kind"] else { return .delivery }
        let node = root.child(kindValue, path: "kind")
        guard let text = node.nonEmptyString() else { return nil }
        guard let kind = ProviderDefinition.Kind(rawValue: text.value) else {
            node.report(
                "'kind' is \(text.quoted)\(Suggestion.didYouMean(text.value, among: ["delivery", "verify"])); use delivery (the provider delivers our text and code) or verify (it sends and checks its own code)"
            )
            return nil
        }
        return kind
    }

    /// A verify definition's `prepare` (optional), `start` and `check`, each a request with its
    /// response fields and classification. Only `check` may use `{code}`, and its rules answer
    /// approved, wrong, expired, locked or retryable.
    mutating func readVerify(
        _ top: OrderedEntries, in root: ConfigNode
    ) -> (prepare: ProviderDefinition.Exchange?, start: ProviderDefinition.Exchange, check: ProviderDefinition.Exchange)? {
        var valid = true
        var prepare: ProviderDefinition.Exchange?
        if let node = top["prepare"] {
            prepare = readPart(node, decisions: ProviderDefinition.Decision.delivery)
            if prepare == nil { valid = false }
        }
        let start = ConfigParser.required(top, "start", in: root).flatMap { readPart($0, decisions: ProviderDefinition.Decision.delivery) }
        extraVariables = [ProviderValues.codeVariable]
        defer { extraVariables = [] }
        let checkNode = ConfigParser.required(top, "check", in: root)
        let check = checkNode.flatMap { readPart($0, decisions: ProviderDefinition.Decision.check) }
        if let check, let checkNode, !check.classification.rules.contains(where: { $0.decision == .approved }) {
            checkNode.report("'check.classification' has no rule that answers approved, so no code could ever be accepted; add one such as { if: { http_status: [200] }, then: approved }")
            valid = false
        }
        guard valid, let start, let check else { return nil }
        return (prepare, start, check)
    }

    private mutating func readPart(_ node: ConfigNode, decisions: [ProviderDefinition.Decision]) -> ProviderDefinition.Exchange? {
        guard let fields = node.mapping(allowedKeys: ["request", "response", "classification"]) else { return nil }
        return readExchange(fields, in: node, decisions: decisions)
    }
}
