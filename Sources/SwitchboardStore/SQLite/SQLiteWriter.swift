import Logging
import NIOCore
import Synchronization
import SwitchboardCore

/// The only user of the write connection: it commits concurrent writes together (group commit).
///
/// With `synchronous=FULL` every commit waits for the disk, so one transaction per message would
/// cap throughput at the disk's flush rate. Instead writes and transactions queue here; when no
/// batch is in flight one starts and runs `BEGIN IMMEDIATE`, every queued write and transaction in
/// the order they came (at most `maxBatchSize`), `COMMIT`, and then resumes each caller with its own
/// result. Jobs that arrive meanwhile form the next batch. A login queues both kinds (its challenge's
/// transaction, its message's saves): they share a commit, and so one wait for the disk.
///
/// The actor runs on a thread of its own (``SQLiteThreadExecutor``) and calls SQLite synchronously:
/// a whole batch, its `fsync` included, is one job on that thread, with no hop per statement.
/// Migrations and closing go through the same queue, so they never run inside a batch.
actor SQLiteWriter {
    /// A change the store makes.
    enum Write: Sendable {
        case save(MessageRecord)
        case deliver(InboxMessage)
    }

    /// What a committed ``Write`` produced.
    enum Written: Sendable {
        case saved
        case delivered(InboxMessage)
    }

    /// Work on the connection that returns a value; runs on the writer's thread.
    typealias Body = @Sendable (SQLiteDatabase) throws -> any Sendable

    /// Who hears of a write's result: a caller awaiting it, or, for a write nobody awaits, a
    /// callback run on the writer's thread.
    private enum Waiter: Sendable {
        case continuation(CheckedContinuation<Written, any Error>)
        case callback(@Sendable (Result<Written, any Error>) -> Void)

        func resume(with result: Result<Written, any Error>) {
            switch self {
            case .continuation(let continuation): continuation.resume(with: result)
            case .callback(let callback): callback(result)
            }
        }
    }

    /// A write whose result is not yet known, and who waits for it.
    ///
    /// A class: a job passes through the queue, its batch and the batch's run of writes, and each
    /// copy of a reference is one retain, where a copy of the write itself retains every string and
    /// array of its record, on the writer's thread, objects the callers' threads made.
    private final class PendingWrite: Sendable {
        let write: Write
        let waiter: Waiter

        init(write: Write, waiter: Waiter) {
            self.write = write
            self.waiter = waiter
        }
    }

    /// A body to run in a transaction, and who waits for its result.
    private struct PendingTransaction: Sendable {
        let body: Body
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    /// A job that joins a batch: its caller hears of it once the batch has committed.
    private enum Batched: Sendable {
        case write(PendingWrite)
        case transaction(PendingTransaction)

        func fail(with error: any Error) {
            switch self {
            case .write(let pending): pending.waiter.resume(with: .failure(error))
            case .transaction(let pending): pending.continuation.resume(throwing: error)
            }
        }
    }

    /// Tells one caller of a committed batch its result.
    private typealias Resumption = () -> Void

    private enum Job: Sendable {
        case write(PendingWrite)
        /// Runs alone on the connection, outside any batch.
        case exclusive(Body, CheckedContinuation<any Sendable, any Error>)
        /// A transaction of its own; it commits with the writes and transactions queued beside it.
        case transaction(PendingTransaction)
        case close(CheckedContinuation<Void, any Error>)

        /// The job as part of a batch; `nil` for one that runs alone.
        var batched: Batched? {
            switch self {
            case .write(let pending): .write(pending)
            case .transaction(let pending): .transaction(pending)
            case .exclusive, .close: nil
            }
        }

        /// Answers a job that came too late: closing again succeeds, anything else fails.
        func refuseAfterClose() {
            switch self {
            case .write(let pending): pending.waiter.resume(with: .failure(SQLiteStoreError.closed))
            case .exclusive(_, let continuation): continuation.resume(throwing: SQLiteStoreError.closed)
            case .transaction(let pending): pending.continuation.resume(throwing: SQLiteStoreError.closed)
            case .close(let continuation): continuation.resume()
            }
        }
    }

    /// Thrown inside a batch run that does not isolate failures, to rerun it with savepoints.
    private struct WriteFailed: Error {}

    /// The thread the actor and its connection run on.
    nonisolated let executor: SQLiteThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let database: SQLiteDatabase
    private let maxBatchSize: Int
    private let gathering: CommitGathering
    /// When the last batch's transaction ended, for ``gathering``.
    private var lastCommitEnded: ContinuousClock.Instant?
    private let logger: Logger
    /// Hears of each committed transaction (metrics).
    private let commits: (any StoreCommitObserver)?
    /// FIFO; a `CircularBuffer`, so taking a batch off the front is O(1) per job.
    private var queue = CircularBuffer<Job>()
    private var isDrainScheduled = false
    private var isClosed = false
    /// Atomic rather than isolated, so that reading it does not wait behind a batch on the thread.
    private let flushes = Atomic<Int>(0)

    /// How many write transactions have begun, for tests that check writes are really batched.
    nonisolated var flushCount: Int { flushes.load(ordering: .relaxed) }

    /// - Parameters:
    ///   - database: An open, configured connection, owned by the writer from now on.
    ///   - executor: The thread the writer runs on, and the connection is used from.
    ///   - maxBatchSize: The most writes one transaction holds.
    ///   - gathering: When a small batch first waits for more jobs.
    ///   - logger: Where failed batches are reported.
    ///   - commits: Hears of each committed transaction (metrics).
    init(
        database: sending SQLiteDatabase, executor: SQLiteThreadExecutor, maxBatchSize: Int, gathering: CommitGathering = .default,
        logger: Logger, commits: (any StoreCommitObserver)? = nil
    ) {
        precondition(maxBatchSize > 0, "a batch holds at least one write")
        self.commits = commits
        self.database = database
        self.executor = executor
        self.maxBatchSize = maxBatchSize
        self.gathering = gathering
        self.logger = logger
    }

    /// Queues a write and returns once the transaction holding it has committed.
    /// - Throws: The write's own error (only it failed), ``SQLiteStoreError/batchFailed(underlying:)``
    ///   (the whole transaction failed) or ``SQLiteStoreError/closed``.
    nonisolated func perform(_ write: Write) async throws -> Written {
        try await withCheckedThrowingContinuation { continuation in
            submit(.write(PendingWrite(write: write, waiter: .continuation(continuation))))
        }
    }

    /// Queues a write and returns at once; `completion` hears its result on the writer's thread,
    /// once the transaction holding it has committed (or failed), so it must be quick. The write
    /// commits before, or with, every job queued after it.
    nonisolated func performWithoutWaiting(_ write: Write, completion: @escaping @Sendable (Result<Written, any Error>) -> Void) {
        submit(.write(PendingWrite(write: write, waiter: .callback(completion))))
    }

    /// Runs `body` alone on the write connection, after the writes queued before it.
    /// - Throws: What `body` throws, or ``SQLiteStoreError/closed``.
    nonisolated func withConnection<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { continuation in
            submit(.exclusive({ try body($0) }, continuation))
        }
        guard let value = value as? T else { preconditionFailure("an exclusive job returned the wrong type") }
        return value
    }

    /// Runs `body` in a transaction of its own, after the jobs queued before it, and returns once
    /// that transaction has committed (durably, like a write).
    ///
    /// Group commit for read-modify-write jobs: transactions and writes queued while another batch
    /// runs share one `BEGIN IMMEDIATE … COMMIT`, and so one wait for the disk. They run one after
    /// another on the one connection, so each sees the ones before it, exactly as separate
    /// transactions would; one that throws is undone alone and gets its own error (its batch runs
    /// again, each body in a savepoint, so `body` may run twice: it must only work on the
    /// connection it is given). If the shared commit fails, every body in it fails.
    /// - Throws: What `body` throws, ``SQLiteStoreError/batchFailed(underlying:)`` or ``SQLiteStoreError/closed``.
    nonisolated func inTransaction<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { continuation in
            submit(.transaction(PendingTransaction(body: { try body($0) }, continuation: continuation)))
        }
        guard let value = value as? T else { preconditionFailure("a transaction returned the wrong type") }
        return value
    }

    /// Finishes the writes queued so far, then closes the connection; later writes fail with
    /// ``SQLiteStoreError/closed``. Closing twice is harmless.
    nonisolated func close() async throws {
        try await withCheckedThrowingContinuation { continuation in
            submit(.close(continuation))
        }
    }

    /// Hands `job` to the writer's thread.
    ///
    /// A closure run there rather than a call to an isolated method: the caller's task then waits
    /// on its continuation without ever running on the writer's thread, so when the batch resumes
    /// it, it goes straight back to its own executor instead of hopping through this thread.
    private nonisolated func submit(_ job: Job) {
        executor.execute { self.assumeIsolated { $0.enqueue(job) } }
    }

    private func enqueue(_ job: Job) {
        guard !isClosed else {
            job.refuseAfterClose()
            return
        }
        queue.append(job)
        guard !isDrainScheduled else { return }
        isDrainScheduled = true
        // Behind whatever reached the thread already: jobs submitted while the last batch was
        // committing queue up there, and they all join the next batch before it starts.
        executor.execute { self.assumeIsolated { $0.drain() } }
    }

    /// Works through the queue until it is empty.
    ///
    /// When it starts with a batch too small for ``gathering`` while the writer is busy, it first
    /// waits for more jobs, then runs again (`gathered`) behind the ones that came, which have
    /// joined the queue.
    private func drain(gathered: Bool = false) {
        if !gathered, queue.first?.batched != nil,
            let wait = gathering.wait(queued: queue.count, sinceLastCommit: lastCommitEnded.map { ContinuousClock.now - $0 })
        {
            executor.waitForSubmissions(gathering.target - queue.count, within: wait)
            executor.execute { self.assumeIsolated { $0.drain(gathered: true) } }
            return
        }
        isDrainScheduled = false
        while let job = queue.first {
            switch job {
            case .write, .transaction:
                var batch: [Batched] = []
                while batch.count < maxBatchSize, let next = queue.first?.batched {
                    batch.append(next)
                    queue.removeFirst()
                }
                commit(batch)
            case .exclusive(let body, let continuation):
                queue.removeFirst()
                continuation.resume(with: Result { try body(database) })
            case .close(let continuation):
                queue.removeFirst()
                isClosed = true
                let abandoned = queue
                queue.removeAll()
                for job in abandoned { job.refuseAfterClose() }
                continuation.resume(with: Result { try database.close() })
            }
        }
    }

    /// Runs a batch in one transaction, commits it, then resumes each caller.
    ///
    /// Writes and bodies seldom fail, so the first run gives them no savepoints: a savepoint makes
    /// SQLite copy every page a job changes first into a statement journal. If one fails, that run is
    /// rolled back whole and the batch runs again with each job in a savepoint of its own, so that it
    /// fails alone. A body works only on the connection, so running it again after a rollback is as if
    /// it had run once.
    private func commit(_ batch: [Batched]) {
        let resumptions: [Resumption]
        do {
            do {
                resumptions = try inOneTransaction(writes: batch.count) { try runTogether(batch) }
            } catch is WriteFailed {
                resumptions = try inOneTransaction(writes: batch.count) { try runIsolated(batch) }
            }
        } catch {
            let failure = batchFailure(error, size: batch.count)
            for job in batch { job.fail(with: failure) }
            return
        }
        for resume in resumptions { resume() }
    }

    /// Runs a batch's jobs in order, each run of consecutive writes as combined statements.
    /// - Throws: ``WriteFailed`` as soon as a write or a body fails.
    private func runTogether(_ batch: [Batched]) throws -> [Resumption] {
        var resumptions: [Resumption] = []
        resumptions.reserveCapacity(batch.count)
        var index = batch.startIndex
        while index < batch.endIndex {
            switch batch[index] {
            case .transaction(let pending):
                let value: any Sendable
                do { value = try pending.body(database) } catch { throw WriteFailed() }
                resumptions.append { pending.continuation.resume(returning: value) }
                index += 1
            case .write:
                var writes: [PendingWrite] = []
                while index < batch.endIndex, case .write(let pending) = batch[index] {
                    writes.append(pending)
                    index += 1
                }
                let results: [Result<Written, any Error>]
                do { results = try applyCombined(writes) } catch { throw WriteFailed() }
                for (pending, result) in zip(writes, results) {
                    resumptions.append { pending.waiter.resume(with: result) }
                }
            }
        }
        return resumptions
    }

    /// Runs a batch's jobs in order, each in a savepoint, so that one that fails is undone alone and
    /// its caller hears its error.
    /// - Throws: When a savepoint itself fails, which means the transaction is lost.
    private func runIsolated(_ batch: [Batched]) throws -> [Resumption] {
        try batch.map { job in
            switch job {
            case .write(let pending):
                let result = try inSavepoint { try apply(pending.write) }
                return { pending.waiter.resume(with: result) }
            case .transaction(let pending):
                let result = try inSavepoint { try pending.body(database) }
                return { pending.continuation.resume(with: result) }
            }
        }
    }

    /// Logs a batch whose transaction could not commit, and returns what each of its callers hears.
    private func batchFailure(_ error: any Error, size: Int) -> SQLiteStoreError {
        logger.debug(
            "SQLite batch failed",
            metadata: ["sb.store.batch_size": "\(size)", "sb.store.error": "\(error)"]
        )
        return SQLiteStoreError.batchFailed(underlying: error)
    }

    /// `BEGIN IMMEDIATE`, `body`, `COMMIT`; `ROLLBACK` when anything throws. Counted in
    /// ``flushCount`` and, once committed, reported to the commit observer as `writes` writes.
    private func inOneTransaction<T>(writes: Int, _ body: () throws -> T) throws -> T {
        flushes.add(1, ordering: .relaxed)
        let started = ContinuousClock.now
        defer { lastCommitEnded = .now }
        try database.execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try database.execute("COMMIT")
            commits?.committed(writes: writes, duration: ContinuousClock.now - started)
            return value
        } catch {
            // Fails harmlessly when SQLite already rolled back (it does on some I/O errors).
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the open transaction: when it throws, its changes are
    /// undone alone and its error is the result.
    /// - Throws: When the savepoint itself fails, which means the transaction is lost.
    private func inSavepoint<T>(_ body: () throws -> T) throws -> Result<T, any Error> {
        try database.execute("SAVEPOINT isolated")
        do {
            let value = try body()
            try database.execute("RELEASE isolated")
            return .success(value)
        } catch {
            try database.execute("ROLLBACK TO isolated")
            try database.execute("RELEASE isolated")
            return .failure(error)
        }
    }

    /// Applies a batch's writes with a few statements instead of three per save.
    ///
    /// A batch of `n` saves would cost `3n` statement runs; instead the saves of a batch are a
    /// multi-row upsert, a `DELETE` of their attempts and a multi-row `INSERT` of the new ones, each
    /// run in a few pieces of a power of two rows (``MultiRowStatement``). A message saved twice in one
    /// batch is written once, as the save that supersedes the others (``MessageRecord/supersedes(_:)``): what the per-write path
    /// leaves too. A save older than the stored row writes nothing, attempts included. Inbox deliveries
    /// stay one statement each, for their sequence numbers. Anything that fails throws, and the
    /// caller reruns the batch write by write.
    private func applyCombined(_ writes: [PendingWrite]) throws -> [Result<Written, any Error>] {
        var results: [Result<Written, any Error>] = []
        results.reserveCapacity(writes.count)
        var saves: [MessageRecord] = []
        saves.reserveCapacity(writes.count)
        for pending in writes {
            switch pending.write {
            case .save(let record):
                saves.append(record)
                results.append(.success(.saved))
            case .deliver:
                results.append(.success(try apply(pending.write)))
            }
        }
        try save(MessageRecord.latestPerID(saves))
        return results
    }

    /// Upserts `records` (one per id) and replaces the attempts of those it wrote; a record older
    /// than its stored row writes nothing, attempts included.
    private func save(_ records: [MessageRecord]) throws {
        guard !records.isEmpty else { return }
        let written = Set(
            try MessageRecord.upsertRows.run(on: database, records.flatMap(\.upsertBinds)).map { try $0.text("id", table: "messages") }
        )
        // Usually every record was written; filtering would copy each one for nothing.
        let replaced = written.count == records.count ? records : records.filter { written.contains($0.id) }
        try MessageRecord.deleteAttemptsRows.run(on: database, replaced.map { .text($0.id) })
        try MessageRecord.insertAttemptRows.run(on: database, replaced.flatMap(\.attemptBinds))
    }

    private func apply(_ write: Write) throws -> Written {
        switch write {
        case .save(let record):
            try save([record])
            return .saved
        case .deliver(let message):
            guard let row = try database.first(InboxMessage.insertSQL, message.insertBinds) else {
                throw SQLiteStoreError.invalidColumn(table: "inbox", column: "sequence", value: "missing")
            }
            var delivered = message
            delivered.sequence = try row.integer("sequence", table: "inbox")
            delivered.receivedAt = message.receivedAt.roundedToMicroseconds
            return .delivered(delivered)
        }
    }
}
