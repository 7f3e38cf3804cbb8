/// What route checks need to know about the rest of the file.
struct RouteContext {
    var apps: [String]
    var providers: [String]
    var templates: [String: MessageTemplate]
    /// Providers whose type is a verify definition: they send their own code, so they carry OTPs only.
    var verifyProviders: Set<String> = []
}

extension ConfigParser {
    static let routeKeys = ["name", "match", "sender", "providers", "template", "split", "on_ambiguous"]
    static let matchKeys = ["countries", "prefixes", "apps", "kinds"]

    static func readRoutes(_ node: ConfigNode?, root: ConfigNode, context: RouteContext) -> [RouteRule]? {
        guard let node else {
            root.report("no 'routes' are defined; add at least a catch-all: `routes: [{ name: everyone, providers: [default] }]`")
            return nil
        }
        guard let items = node.sequence() else { return nil }
        if items.isEmpty {
            node.report("'routes' is empty; add at least a catch-all rule with a name and providers")
            return nil
        }
        var rules: [RouteRule] = []
        var ruleNodes: [ConfigNode] = []
        var senderNodes: [ConfigNode?] = []
        var names: [String: Int] = [:]
        var valid = true
        for item in items {
            guard let fields = item.mapping(allowedKeys: routeKeys) else {
                valid = false
                continue
            }
            if let (rule, senderNode) = readRoute(item, fields, context: context) {
                if let firstLine = names[rule.name] {
                    fields["name"]?.report("duplicate route name '\(rule.name)'; it is already used on line \(firstLine)")
                    valid = false
                }
                names[rule.name] = item.line
                rules.append(rule)
                ruleNodes.append(item)
                senderNodes.append(senderNode)
            } else {
                valid = false
            }
        }
        guard valid else { return nil }
        reportUnreachableRules(rules, nodes: ruleNodes)
        reportRefusedAlphanumericSenders(rules, senderNodes: senderNodes)
        return rules
    }

    private static func readRoute(_ node: ConfigNode, _ fields: OrderedEntries, context: RouteContext) -> (RouteRule, ConfigNode?)? {
        var valid = true
        let name = required(fields, "name", in: node)?.nonEmptyString()
        var match = RouteMatch()
        if let matchNode = fields["match"] {
            if let read = readMatch(matchNode, context: context) { match = read } else { valid = false }
        }

        var sender: SenderID?
        if let senderNode = fields["sender"], let text = senderNode.nonEmptyString() {
            do {
                sender = try SenderID(parsing: text.value)
            } catch {
                senderNode.report("\(senderNode.describedPath): \(error)")
                valid = false
            }
        }

        // With a split, the fallback list is optional. `readSplit` has reported whatever it refused.
        let hasSplit = fields["split"] != nil
        let split = fields["split"].flatMap { readSplit($0, match: match, context: context) } ?? []
        if hasSplit, split.isEmpty { valid = false }
        var providers: [String] = []
        let providersNode = hasSplit ? fields["providers"] : required(fields, "providers", in: node)
        if let providersNode, let list = providersNode.stringList() {
            if list.isEmpty, !hasSplit {
                providersNode.report("\(providersNode.describedPath) is empty; name at least one provider")
                valid = false
            }
            for provider in list {
                if !context.providers.contains(provider.value) {
                    provider.node.report("provider '\(provider.value)' is not defined under 'providers'\(Suggestion.didYouMean(provider.value, among: context.providers)); defined: \(context.providers.joined(separator: ", "))")
                    valid = false
                } else if providers.contains(provider.value) {
                    provider.node.report("provider '\(provider.value)' appears twice in \(providersNode.describedPath); a chain tries each provider once")
                    valid = false
                } else if split.contains(where: { $0.provider == provider.value }) {
                    provider.node.report("provider '\(provider.value)' is already in this route's 'split'; a chain tries each provider once, so list it in one of the two")
                    valid = false
                }
                providers.append(provider.value)
                if !verifyProviderFits(provider.value, node: provider.node, match: match, context: context) { valid = false }
            }
        } else if providersNode != nil || !hasSplit {
            valid = false
        }

        var onAmbiguous: AmbiguousPolicy?
        if let policyNode = fields["on_ambiguous"], let text = policyNode.nonEmptyString() {
            if let policy = AmbiguousPolicy(rawValue: text.value) {
                onAmbiguous = policy
            } else {
                let known = AmbiguousPolicy.allCases.map(\.rawValue)
                policyNode.report("\(policyNode.describedPath) is \(text.quoted)\(Suggestion.didYouMean(text.value, among: known)); use continue (try the next provider) or stop")
                valid = false
            }
        } else if fields["on_ambiguous"] != nil {
            valid = false
        }

        var template: String?
        if let templateNode = fields["template"], let text = templateNode.nonEmptyString() {
            template = text.value
            if let found = context.templates[text.value] {
                let carriesOTP = match.kinds.map { $0.contains(.otp) } ?? true
                if carriesOTP, !found.placeholders.contains(.otp) {
                    templateNode.report("template '\(text.value)' has no {otp} placeholder, but this route can carry OTP messages; add {otp} to the template or limit the route with `kinds: [transactional]`")
                    valid = false
                }
            } else {
                templateNode.report("template '\(text.value)' is not defined under 'templates'\(Suggestion.didYouMean(text.value, among: context.templates.keys)); defined: \(context.templates.keys.sorted().joined(separator: ", "))")
                valid = false
            }
        }

        guard valid, let name else { return nil }
        let rule = RouteRule(
            name: name.value, match: match, sender: sender, providers: providers, template: template,
            split: split, onAmbiguous: onAmbiguous
        )
        return (rule, fields["sender"])
    }

    /// A verify provider sends its own code in its own words: it can carry the login flow's OTPs,
    /// never a transactional message, so its route must be limited to `kinds: [otp]`.
    private static func verifyProviderFits(_ provider: String, node: ConfigNode, match: RouteMatch, context: RouteContext) -> Bool {
        guard context.verifyProviders.contains(provider), match.kinds?.contains(.transactional) ?? true else { return true }
        node.report(
            "provider '\(provider)' is a verify provider (it sends and checks its own code), so it can carry only OTP logins, but this route can also carry transactional messages; add `kinds: [otp]` to the route's match and route transactional messages to a delivery provider in another route"
        )
        return false
    }

    /// `split: [{ provider: twilio, weight: 70 }, { provider: sfmc, weight: 30 }]`.
    private static func readSplit(_ node: ConfigNode, match: RouteMatch, context: RouteContext) -> [WeightedProvider]? {
        guard let items = node.sequence() else { return nil }
        if items.isEmpty {
            node.report("\(node.describedPath) is empty; give it providers with weights, such as [{ provider: twilio, weight: 70 }, { provider: sfmc, weight: 30 }], or remove it")
            return nil
        }
        var members: [WeightedProvider] = []
        var valid = true
        for item in items {
            guard let fields = item.mapping(allowedKeys: ["provider", "weight"]),
                let providerNode = required(fields, "provider", in: item), let provider = providerNode.nonEmptyString(),
                let weightNode = required(fields, "weight", in: item)
            else {
                valid = false
                continue
            }
            guard let weight = weightNode.integer(in: 1...1_000_000) else {
                valid = false
                continue
            }
            if !verifyProviderFits(provider.value, node: providerNode, match: match, context: context) { valid = false }
            if !context.providers.contains(provider.value) {
                providerNode.report("provider '\(provider.value)' is not defined under 'providers'\(Suggestion.didYouMean(provider.value, among: context.providers)); defined: \(context.providers.joined(separator: ", "))")
                valid = false
            } else if members.contains(where: { $0.provider == provider.value }) {
                providerNode.report("provider '\(provider.value)' appears twice in \(node.describedPath); give it one entry with the sum of the weights")
                valid = false
            }
            members.append(WeightedProvider(provider: provider.value, weight: weight))
        }
        return valid ? members : nil
    }

    private static func readMatch(_ node: ConfigNode, context: RouteContext) -> RouteMatch? {
        guard let fields = node.mapping(allowedKeys: matchKeys) else { return nil }
        var match = RouteMatch()
        var valid = true
        if let countries = fields["countries"] {
            match.countries = readCountries(countries)
            if match.countries == nil { valid = false }
        }
        if let prefixesNode = fields["prefixes"] {
            var prefixes: [String] = []
            for prefix in prefixesNode.stringList() ?? [] {
                let digits = prefix.value.dropFirst()
                guard prefix.value.first == "+", (1...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else {
                    prefix.node.report("prefix \(prefix.quoted) must be + and 1 to 15 digits, the start of an E.164 number, such as +4477009")
                    valid = false
                    continue
                }
                prefixes.append(String(digits))
            }
            match.prefixes = prefixes
        }
        if let appsNode = fields["apps"] {
            var apps: Set<String> = []
            for app in appsNode.stringList() ?? [] {
                if context.apps.contains(app.value) {
                    apps.insert(app.value)
                } else {
                    app.node.report("app '\(app.value)' is not defined under 'apps'\(Suggestion.didYouMean(app.value, among: context.apps))")
                    valid = false
                }
            }
            match.apps = apps
        }
        if let kindsNode = fields["kinds"] {
            var kinds: Set<MessageKind> = []
            for kind in kindsNode.stringList() ?? [] {
                if let parsed = MessageKind(rawValue: kind.value) {
                    kinds.insert(parsed)
                } else {
                    let known = MessageKind.allCases.map(\.rawValue)
                    kind.node.report("kind \(kind.quoted) is not a message kind\(Suggestion.didYouMean(kind.value, among: known)); use \(known.joined(separator: " or "))")
                    valid = false
                }
            }
            match.kinds = kinds
        }
        return valid ? match : nil
    }

    /// A rule after a catch-all can never match: almost always a mistake in the order.
    private static func reportUnreachableRules(_ rules: [RouteRule], nodes: [ConfigNode]) {
        guard let catchAll = rules.firstIndex(where: \.match.isCatchAll), catchAll < rules.count - 1 else { return }
        for index in (catchAll + 1)..<rules.count {
            nodes[index].report("route '\(rules[index].name)' can never match: route '\(rules[catchAll].name)' before it matches every message; move the catch-all to the end")
        }
    }

    /// Networks in some countries refuse alphanumeric senders. A rule that can receive a number of
    /// such a country (no earlier rule takes all of them) must not send from a name.
    private static func reportRefusedAlphanumericSenders(_ rules: [RouteRule], senderNodes: [ConfigNode?]) {
        for country in SenderID.countriesRefusingAlphanumeric.sorted() {
            for (index, rule) in rules.enumerated() {
                let reach = RouteReach.of(rule.match, toward: country)
                if reach == .none { continue }
                if case .alphanumeric(let name) = rule.sender, let node = senderNodes[index] {
                    node.report("route '\(rule.name)' can send to \(country) from the alphanumeric sender '\(name)', but networks in \(country) refuse alphanumeric senders; put a rule for \(country) before it with a phone-number or short-code sender, or leave \(country) out of this rule")
                }
                if reach == .all { break }
            }
        }
    }
}

/// How much of a country's traffic a rule's conditions let through.
enum RouteReach {
    case none, some, all

    /// `all` when every message to the country matches the rule, `none` when none can.
    static func of(_ match: RouteMatch, toward country: String) -> RouteReach {
        if let countries = match.countries, !countries.contains(country) { return .none }
        if let prefixes = match.prefixes {
            let callingCodes = CountryCodes.callingCodes(of: country)
            let reaches = prefixes.contains { prefix in
                callingCodes.contains { code in prefix.hasPrefix(code) || code.hasPrefix(prefix) }
            }
            return reaches ? .some : .none
        }
        return match.apps == nil && match.kinds == nil ? .all : .some
    }
}
