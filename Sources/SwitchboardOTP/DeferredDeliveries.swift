/// Deliveries that run after the answer has gone (conceal mode), owned by one long-lived task
/// instead of each by nobody: ``drain()`` runs them, and returns once ``finish()`` has been called
/// and every queued delivery has ended, so none is cut off at shutdown.
package final class DeferredDeliveries: Sendable {
    typealias Job = @Sendable () async -> Void
    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    package init() {
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues a delivery.
    /// - Returns: `false` when the queue has finished, so the caller must run the job itself.
    func enqueue(_ job: @escaping Job) -> Bool {
        if case .terminated = continuation.yield(job) { return false }
        return true
    }

    /// Runs the deliveries as they come, side by side, until ``finish()``; then runs the ones still
    /// queued and waits for all of them. Called once, by the service that owns the queue.
    package func drain() async {
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await job() }
            }
        }
    }

    /// Stops taking deliveries; ``drain()`` returns once the queued ones have run.
    package func finish() {
        continuation.finish()
    }
}
