/// One routing rule from `config.yaml`: what it matches and where matching messages go.
package struct RouteRule: Sendable, Hashable {
    package var name: String
    package var match: RouteMatch
    /// The sender to use; `nil` leaves it to the provider's own default.
    package var sender: SenderID?
    /// Provider names, in the order they are tried (after the split, when there is one).
    package var providers: [String]
    /// Name of a template in the config's `templates`; `nil` uses the app's message or the text given.
    package var template: String?
    /// Providers that share the route's traffic by weight before `providers`; empty for none.
    package var split: [WeightedProvider]
    /// What an ambiguous attempt leads to; `nil` for the message kind's default.
    package var onAmbiguous: AmbiguousPolicy?

    package init(
        name: String, match: RouteMatch = RouteMatch(), sender: SenderID?, providers: [String], template: String? = nil,
        split: [WeightedProvider] = [], onAmbiguous: AmbiguousPolicy? = nil
    ) {
        self.name = name
        self.match = match
        self.sender = sender
        self.providers = providers
        self.template = template
        self.split = split
        self.onAmbiguous = onAmbiguous
    }
}

/// The conditions of a rule. Every condition that is set must hold; a rule with none is a catch-all.
package struct RouteMatch: Sendable, Hashable {
    /// ISO 3166 alpha-2 codes of destination countries; `nil` matches any.
    package var countries: Set<String>?
    /// Leading digits of the E.164 number, without `+` (`"4477009"`); `nil` matches any.
    package var prefixes: [String]?
    /// App ids; `nil` matches any.
    package var apps: Set<String>?
    /// Message kinds; `nil` matches any.
    package var kinds: Set<MessageKind>?

    package init(countries: Set<String>? = nil, prefixes: [String]? = nil, apps: Set<String>? = nil, kinds: Set<MessageKind>? = nil) {
        self.countries = countries
        self.prefixes = prefixes
        self.apps = apps
        self.kinds = kinds
    }

    package var isCatchAll: Bool { countries == nil && prefixes == nil && apps == nil && kinds == nil }
}

/// What the router decided for one message.
package struct RouteDecision: Sendable, Hashable {
    /// Name of the rule that matched.
    package var rule: String
    /// Position of that rule in the configuration, from 0.
    package var ruleIndex: Int
    /// The destination's ISO 3166 alpha-2 code.
    package var country: String
    package var sender: SenderID?
    /// The fallback chain (the whole chain when there is no split).
    package var providers: [String]
    package var template: String?
    /// The rule's weighted split, tried before `providers`.
    package var split: [WeightedProvider]
    /// The rule's ambiguous policy; `nil` for the message kind's default.
    package var onAmbiguous: AmbiguousPolicy?

    package init(
        rule: String, ruleIndex: Int, country: String, sender: SenderID?, providers: [String], template: String?,
        split: [WeightedProvider] = [], onAmbiguous: AmbiguousPolicy? = nil
    ) {
        self.rule = rule
        self.ruleIndex = ruleIndex
        self.country = country
        self.sender = sender
        self.providers = providers
        self.template = template
        self.split = split
        self.onAmbiguous = onAmbiguous
    }
}
