/// `providers.NAME: { max_in_flight, queue, rate }` — how hard one provider may be pushed.
///
/// A send that finds every slot taken waits in the provider's queue; a send that finds the queue
/// full, or whose attempt's time runs out while it waits, does not go to that provider at all: it is
/// skipped (as behind an open breaker), so the next provider of its chain is tried.
package struct ProviderLimits: Sendable, Hashable {
    /// Requests to the provider in flight at once (`max_in_flight`).
    package var maxInFlight: Int
    /// Sends that may wait for a slot (`queue`); 0 skips the provider at once when every slot is taken.
    package var queue: Int
    /// Messages per second at most (`rate`), or no limit. A send over the rate waits in the queue.
    package var rate: Int?

    /// The default keeps a provider that answers as slowly as real ones do from capping the daemon
    /// below what its CPU can send (sends per second are at most the requests in flight divided by
    /// the provider's answer time; the README's configuration reference gives the arithmetic), while
    /// each request in flight costs only one pooled connection. It is as many as the default
    /// connection cap allows clients: a synchronous send holds its client's connection until the
    /// provider answers, so when every client waits on one provider, none of their sends also waits
    /// for a slot (with fewer slots than connections, the sends left over would each wait a whole
    /// answer's time for one). A queue as long as the in-flight limit lets a burst wait about one
    /// provider answer's time; a longer wait is better spent on the next provider.
    package static let defaultMaxInFlight = ConnectionLimits().maxConnections

    package static let maxInFlightBounds = 1...10_000
    package static let queueBounds = 0...100_000
    package static let rateBounds = 1...100_000

    package init(maxInFlight: Int = Self.defaultMaxInFlight, queue: Int? = nil, rate: Int? = nil) {
        self.maxInFlight = maxInFlight
        self.queue = queue ?? maxInFlight
        self.rate = rate
    }

    /// The keys of a provider instance these limits are read from.
    package static let keys = ["max_in_flight", "queue", "rate"]
}
