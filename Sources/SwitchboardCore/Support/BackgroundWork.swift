/// Work a caller starts and does not wait for, such as the gateway's save of a message as pending
/// while its providers are called.
///
/// The work runs in ``runUntilFinished()``, inside its owner's task (in the daemon, a service of
/// the service lifecycle), so none of it outlives the owner: ``finish()`` stops taking work, and
/// `runUntilFinished()` returns once everything taken is done. The owner is stopped before the
/// store, so a shutdown never closes the store under a save.
package final class BackgroundWork: Sendable {
    package typealias Job = @Sendable () async -> Void

    private let jobs: AsyncStream<Job>
    private let intake: AsyncStream<Job>.Continuation

    package init() {
        (jobs, intake) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues `job` to run beside the caller.
    /// - Returns: `false` when the work has finished and `job` will not run.
    @discardableResult
    package func submit(_ job: @escaping Job) -> Bool {
        if case .terminated = intake.yield(job) { return false }
        return true
    }

    /// Runs the submitted jobs, concurrently, until ``finish()``; returns when the last has ended.
    /// Called once, by the owner.
    package func runUntilFinished() async {
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask(operation: job)
            }
        }
    }

    /// Takes no more work; ``runUntilFinished()`` returns once what was taken is done.
    package func finish() {
        intake.finish()
    }
}
