import Logging
import NIOCore
import SQLiteNIO
import SwitchboardCore

/// The only user of the write connection: it commits concurrent writes together (group commit).
///
/// With `synchronous=FULL` every commit waits for the disk, so one transaction per message would
/// cap throughput at the disk's flush rate. Instead writes queue here; when no flush is in flight
/// one starts and runs `BEGIN IMMEDIATE`, every queued write (at most `maxBatchSize`), `COMMIT`, and
/// then resumes each caller with its own result. Writes that arrive meanwhile form the next batch.
///
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

    /// A write whose result is not yet known, and who waits for it.
    private struct PendingWrite {
        let write: Write
        let continuation: CheckedContinuation<Written, any Error>
    }

    private enum Job {
        case write(PendingWrite)
        /// Runs alone on the connection, outside any batch.
        case exclusive(
            @Sendable (SQLiteConnection) async throws -> any Sendable,
            CheckedContinuation<any Sendable, any Error>
        )
        case close(CheckedContinuation<Void, any Error>)

        /// Answers a job that came too late: closing again succeeds, anything else fails.
        func refuseAfterClose() {
            switch self {
            case .write(let pending): pending.continuation.resume(throwing: SQLiteStoreError.closed)
            case .exclusive(_, let continuation): continuation.resume(throwing: SQLiteStoreError.closed)
            case .close(let continuation): continuation.resume()
            }
        }
    }

    /// Thrown inside a batch run that does not isolate failures, to rerun it with savepoints.
    private struct WriteFailed: Error {}

    private let connection: SQLiteConnection
    private let maxBatchSize: Int
    private let logger: Logger
    private var queue: [Job] = []
    private var isDraining = false
    private var isClosed = false

    /// How many write transactions have begun, for tests that check writes are really batched.
    private(set) var flushCount = 0

    /// - Parameters:
    ///   - connection: An open, configured connection, owned by the writer from now on.
    ///   - maxBatchSize: The most writes one transaction holds.
    ///   - logger: Where failed batches are reported.
    init(connection: SQLiteConnection, maxBatchSize: Int, logger: Logger) {
        precondition(maxBatchSize > 0, "a batch holds at least one write")
        self.connection = connection
        self.maxBatchSize = maxBatchSize
        self.logger = logger
    }

    /// Queues a write and returns once the transaction holding it has committed.
    /// - Throws: The write's own error (only it failed), ``SQLiteStoreError/batchFailed(underlying:)``
    ///   (the whole transaction failed) or ``SQLiteStoreError/closed``.
    func perform(_ write: Write) async throws -> Written {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.write(PendingWrite(write: write, continuation: continuation)))
        }
    }

    /// Runs `body` alone on the write connection, after the writes queued before it.
    /// - Throws: What `body` throws, or ``SQLiteStoreError/closed``.
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) async throws -> T
    ) async throws -> T {
        let value = try await withCheckedThrowingContinuation { continuation in
            enqueue(.exclusive({ try await body($0) }, continuation))
        }
        guard let value = value as? T else { preconditionFailure("an exclusive job returned the wrong type") }
        return value
    }

    /// Finishes the writes queued so far, then closes the connection; later writes fail with
    /// ``SQLiteStoreError/closed``. Closing twice is harmless.
    func close() async throws {
        guard !isClosed else { return }
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.close(continuation))
        }
    }

    private func enqueue(_ job: Job) {
        guard !isClosed else {
            job.refuseAfterClose()
            return
        }
        queue.append(job)
        guard !isDraining else { return }
        isDraining = true
        // Unstructured on purpose: sqlite-nio's async calls throw `CancellationError` when their
        // task is cancelled, and a batch shared by many callers must not be torn apart because the
        // one whose task happened to run it was cancelled. This task never outlives the queue, and
        // `close()` waits for the queue.
        Task { await drain() }
    }

    /// Works through the queue until it is empty.
    private func drain() async {
        while let job = queue.first {
            switch job {
            case .write:
                var batch: [PendingWrite] = []
                while batch.count < maxBatchSize, case .write(let pending)? = queue.first {
                    batch.append(pending)
                    queue.removeFirst()
                }
                await flush(batch)
            case .exclusive(let body, let continuation):
                queue.removeFirst()
                do {
                    continuation.resume(returning: try await body(connection))
                } catch {
                    continuation.resume(throwing: error)
                }
            case .close(let continuation):
                queue.removeFirst()
                isClosed = true
                let abandoned = queue
                queue.removeAll()
                for job in abandoned { job.refuseAfterClose() }
                do {
                    // The futures API is not cancellable, so the handle is released whatever happens.
                    let closing: EventLoopFuture<Void> = connection.close()
                    try await closing.get()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        isDraining = false
    }

    /// Commits one batch and resumes its callers.
    private func flush(_ batch: [PendingWrite]) async {
        let writes = batch.map(\.write)
        let results: [Result<Written, any Error>]
        do {
            do {
                // Failures of single writes are rare, so the first run spends no statements on
                // savepoints; if a write fails, the batch runs again with each write isolated.
                results = try await transaction(writes, isolatingFailures: false)
            } catch is WriteFailed {
                results = try await transaction(writes, isolatingFailures: true)
            }
        } catch {
            logger.debug(
                "SQLite write batch failed",
                metadata: ["sb.store.batch_size": "\(batch.count)", "sb.store.error": "\(error)"]
            )
            let failure = SQLiteStoreError.batchFailed(underlying: error)
            for pending in batch { pending.continuation.resume(throwing: failure) }
            return
        }
        for (pending, result) in zip(batch, results) {
            pending.continuation.resume(with: result)
        }
    }

    /// Runs `writes` in one transaction and returns each write's result once it has committed.
    /// - Parameter isolatingFailures: Wrap each write in a savepoint, so that a failed write is
    ///   undone alone and reported in its result; otherwise a failed write throws ``WriteFailed``.
    /// - Throws: ``WriteFailed``, or the error that made the whole transaction fail (rolled back).
    private func transaction(_ writes: [Write], isolatingFailures: Bool) async throws -> [Result<Written, any Error>] {
        flushCount += 1
        try await execute("BEGIN IMMEDIATE")
        do {
            var results: [Result<Written, any Error>] = []
            results.reserveCapacity(writes.count)
            for write in writes {
                if isolatingFailures {
                    results.append(try await applyIsolated(write))
                } else {
                    do {
                        results.append(.success(try await apply(write)))
                    } catch {
                        throw WriteFailed()
                    }
                }
            }
            try await execute("COMMIT")
            return results
        } catch {
            // Fails harmlessly when SQLite already rolled back (it does on some I/O errors).
            _ = try? await execute("ROLLBACK")
            throw error
        }
    }

    /// Applies one write inside a savepoint.
    /// - Returns: The write's outcome; a failed write has been undone.
    /// - Throws: When the savepoint itself fails, which means the transaction is lost.
    private func applyIsolated(_ write: Write) async throws -> Result<Written, any Error> {
        try await execute("SAVEPOINT write")
        do {
            let written = try await apply(write)
            try await execute("RELEASE write")
            return .success(written)
        } catch {
            try await execute("ROLLBACK TO write")
            try await execute("RELEASE write")
            return .failure(error)
        }
    }

    private func apply(_ write: Write) async throws -> Written {
        switch write {
        case .save(let record):
            try await execute(MessageRecord.upsertSQL, record.upsertBinds)
            try await execute(MessageRecord.deleteAttemptsSQL, [.text(record.id)])
            if let insert = record.insertAttempts {
                try await execute(insert.sql, insert.binds)
            }
            return .saved
        case .deliver(let message):
            let rows = try await connection.query(InboxMessage.insertSQL, message.insertBinds)
            guard let row = rows.first else {
                throw SQLiteStoreError.invalidColumn(table: "inbox", column: "sequence", value: "missing")
            }
            var delivered = message
            delivered.sequence = try row.integer("sequence", table: "inbox")
            delivered.receivedAt = message.receivedAt.roundedToMicroseconds
            return .delivered(delivered)
        }
    }

    private func execute(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        _ = try await connection.query(sql, binds)
    }
}
