import Synchronization

/// Chooses, per route, which member of a weighted split goes first, by smooth weighted
/// round-robin: deterministic, and exact (over every run of as many sends as the weights add up
/// to, each provider goes first exactly its weight's times), with members interleaved rather than
/// in bursts. A member that is not available (breaker open, Retry-After) takes no part, so the
/// others share its traffic by their own weights.
package final class WeightedSplitter: Sendable {
    /// Per route, each member's current credit, in split order. Small synchronous state: a Mutex.
    private let credits = Mutex<[String: [Int]]>([:])

    package init() {}

    /// The order to try a split's members in for one send: the chosen one, then the rest in
    /// configuration order (so failover within the split comes before the route's fallbacks).
    /// - Parameters:
    ///   - route: The route's name; each route has its own rotation.
    ///   - split: The members and weights.
    ///   - isAvailable: Whether a member may take a share now.
    package func order(route: String, split: [WeightedProvider], isAvailable: (String) -> Bool) -> [String] {
        guard split.count > 1 else { return split.map(\.provider) }
        let available = split.map { isAvailable($0.provider) }
        let chosen = credits.withLock { credits -> Int? in
            var current = credits[route] ?? []
            if current.count != split.count { current = Array(repeating: 0, count: split.count) }
            defer { credits[route] = current }
            var total = 0
            var best: Int?
            for index in split.indices {
                guard available[index] else {
                    // No credit builds up while away: a provider coming back gets no burst.
                    current[index] = 0
                    continue
                }
                current[index] += split[index].weight
                total += split[index].weight
                if let leader = best, current[leader] >= current[index] { continue }
                best = index
            }
            if let best { current[best] -= total }
            return best
        }
        guard let chosen else { return split.map(\.provider) }
        return [split[chosen].provider] + split.indices.filter { $0 != chosen }.map { split[$0].provider }
    }
}
