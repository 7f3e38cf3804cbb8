/// `delivery.async: { workers, max_queued, poll }` — how messages accepted with `"async": true`
/// are sent: the daemon's workers claim them from the message log and send each like a synchronous send.
package struct AsyncDeliverySettings: Sendable, Hashable {
    /// Queued messages one daemon sends at once (`workers`). Each is one send in flight, so the
    /// queue drains at most at `workers` divided by the providers' answer time, and never faster
    /// than the providers' own `max_in_flight` and `rate` let it.
    package var workers = 256
    /// Queued messages beyond which an asynchronous send is refused with 503 and Retry-After
    /// (`max_queued`): the queue is on disk, but a backlog that never drains must not grow forever.
    package var maxQueued = 100_000
    /// How often an idle worker looks for messages it was not told about (`poll`): those queued by
    /// another daemon sharing the store, or put back because every provider was skipped; and how
    /// long it claims nothing after putting one back.
    package var poll: Duration = .seconds(1)

    package static let workersBounds = 1...10_000
    package static let maxQueuedBounds = 1...100_000_000
    package static let pollBounds = Duration.milliseconds(10)...Duration.seconds(60)
    package static let keys = ["workers", "max_queued", "poll"]

    package init(workers: Int = 256, maxQueued: Int = 100_000, poll: Duration = .seconds(1)) {
        self.workers = workers
        self.maxQueued = maxQueued
        self.poll = poll
    }
}
