/// One member of a route's weighted split: `{ provider: twilio, weight: 70 }`.
package struct WeightedProvider: Sendable, Hashable, Codable {
    package var provider: String
    /// Its share relative to the other members' weights (at least 1).
    package var weight: Int

    package init(provider: String, weight: Int) {
        self.provider = provider
        self.weight = weight
    }
}

/// What a route does after an ambiguous attempt (the provider may or may not have sent it).
package enum AmbiguousPolicy: String, Sendable, Hashable, CaseIterable {
    /// Try the next provider: a duplicate is better than nothing (the default for OTP, where a
    /// missing code locks a person out and a duplicate one is harmless).
    case `continue`
    /// Stop: a duplicate is worse than nothing (the default for transactional messages).
    case stop

    /// The policy of a route that sets none.
    package static func `default`(for kind: MessageKind) -> AmbiguousPolicy {
        kind == .otp ? .continue : .stop
    }
}
