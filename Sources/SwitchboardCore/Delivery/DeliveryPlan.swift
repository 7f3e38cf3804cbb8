/// What the dispatcher needs from a route to deliver one message.
package struct DeliveryPlan: Sendable, Hashable {
    /// The route's name: a weighted split keeps its rotation per route.
    package var route: String
    /// Providers that share the route's traffic by weight, tried before `fallbacks`; may be empty.
    package var split: [WeightedProvider]
    /// Providers tried in order after the split (or alone, without one).
    package var fallbacks: [String]
    /// What an ambiguous attempt leads to.
    package var onAmbiguous: AmbiguousPolicy

    package init(route: String, split: [WeightedProvider] = [], fallbacks: [String], onAmbiguous: AmbiguousPolicy) {
        self.route = route
        self.split = split
        self.fallbacks = fallbacks
        self.onAmbiguous = onAmbiguous
    }

    /// The plan for a routing decision and message kind: the route's ambiguous policy, else the kind's default.
    package init(_ decision: RouteDecision, kind: MessageKind) {
        self.init(
            route: decision.rule,
            split: decision.split,
            fallbacks: decision.providers,
            onAmbiguous: decision.onAmbiguous ?? .default(for: kind)
        )
    }
}
