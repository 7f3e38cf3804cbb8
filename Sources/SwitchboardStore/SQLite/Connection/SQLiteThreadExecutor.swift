import Foundation
import SwitchboardCore

/// A serial executor that runs everything on one thread of its own, for an actor that owns a
/// SQLite connection.
///
/// SQLite calls block (on locks and on `fsync`), so they must not run on Swift's cooperative
/// pool; and a hop to a thread pool for every statement is what made the store slow. With its
/// own thread an actor calls SQLite synchronously: a whole batch is one job, and blocking this
/// thread on the disk delays nothing but the jobs of the actor that owns it.
///
/// Besides the actor's own jobs it runs plain closures (``execute(_:)``), so that a caller can
/// hand work to the actor without the task hopping onto this thread and back; see
/// ``SQLiteWriter/perform(_:)``. Jobs and closures run in the order they were submitted.
///
/// The thread ends once the executor is released, after the work already queued.
final class SQLiteThreadExecutor: SerialExecutor, @unchecked Sendable {
    /// What the thread runs next.
    private enum Work {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    /// The state shared with the thread, which must not keep the executor itself alive.
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        /// Guarded by `condition`.
        var pending: [Work] = []
        /// Guarded by `condition`.
        var isStopping = false
        /// Set once, before the thread starts. Unowned: the thread must not keep the executor
        /// alive, or it would never end; jobs only arrive while their actor, and so the executor, lives.
        var executor: UnownedSerialExecutor?

        func submit(_ work: Work) {
            condition.lock()
            pending.append(work)
            condition.signal()
            condition.unlock()
        }

        /// Runs submitted work until the executor is released and nothing is left.
        func run() {
            guard let executor else { preconditionFailure("the thread started before its executor was set") }
            // Taken whole and swapped back, so the lock is held once per burst and no array is allocated.
            var taken: [Work] = []
            while true {
                condition.lock()
                while pending.isEmpty && !isStopping { condition.wait() }
                if pending.isEmpty {
                    condition.unlock()
                    return
                }
                swap(&pending, &taken)
                condition.unlock()
                for work in taken {
                    switch work {
                    case .job(let job): job.runSynchronously(on: executor)
                    case .closure(let body): body()
                    }
                }
                taken.removeAll(keepingCapacity: true)
            }
        }
    }

    private let queue = Queue()
    /// Internal for tests, which check that it ends.
    let thread: Thread

    /// Starts the thread.
    /// - Parameter name: The thread's name, as debuggers and `top -H` show it.
    init(name: String) {
        let queue = self.queue
        // For debuggers and `top -H`, best effort: on Linux a name set before `start()` is lost
        // (a new thread keeps its creator's), and even this one may be, if the thread runs first.
        thread = Thread {
            Thread.current.name = name
            queue.run()
        }
        queue.executor = UnownedSerialExecutor(ordinary: self)
        thread.start()
    }

    deinit {
        queue.condition.lock()
        queue.isStopping = true
        queue.condition.signal()
        queue.condition.unlock()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.submit(.job(UnownedJob(job)))
    }

    /// How many jobs and closures wait for the thread: for tests that must know one has been
    /// handed over before they submit the next, instead of sleeping and hoping.
    var waitingCount: Int {
        queue.condition.lock()
        defer { queue.condition.unlock() }
        return queue.pending.count
    }

    /// Blocks the thread until `count` jobs and closures wait for it, or `window` has passed.
    ///
    /// Called on the thread itself, by the actor it runs (``SQLiteWriter``, gathering a batch):
    /// what is submitted meanwhile waits behind the actor's current job, which ends after this.
    func waitForSubmissions(_ count: Int, within window: Duration) {
        precondition(isCurrent, "only the executor's own thread waits for what is submitted to it")
        let deadline = Date(timeIntervalSinceNow: window.timeInterval)
        queue.condition.lock()
        while queue.pending.count < count, queue.condition.wait(until: deadline) {}
        queue.condition.unlock()
    }

    /// Runs `body` on the thread, after everything submitted before it.
    func execute(_ body: @escaping @Sendable () -> Void) {
        queue.submit(.closure(body))
    }

    /// Runs `body` on the thread and returns its result: for blocking work outside any actor, such
    /// as opening the connection the actor will own.
    func run<T>(_ body: @escaping @Sendable () throws -> sending T) async throws -> sending T {
        try await withCheckedThrowingContinuation { continuation in
            execute {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Whether the caller runs on this executor's thread.
    var isCurrent: Bool { Thread.current === thread }

    /// Lets `assumeIsolated` accept a closure from ``execute(_:)``, which runs on the thread
    /// outside any job, so the runtime cannot tell on its own.
    func checkIsolated() {
        precondition(isCurrent, "not on the SQLite thread of this actor")
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
