/// The store's database cannot be reached: the server was stopped or restarted, or the network to it
/// is down. The statement that needed it was refused or lost with its connection; what the request
/// had stored before stays. Answered `503` with `Retry-After`, since the same request may succeed
/// once the database is back, which the store finds out by itself.
package struct StoreUnavailable: Error, CustomStringConvertible {
    /// What the store last saw: the connection's error, or the probe's.
    package let reason: String
    /// When a retry may find the database back.
    package let retryAfter: Duration

    package init(reason: String, retryAfter: Duration) {
        self.reason = reason
        self.retryAfter = retryAfter
    }

    package var description: String { "the database cannot be reached: \(reason)" }
}
