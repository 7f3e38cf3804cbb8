import Logging
import Synchronization
import SwitchboardCore

/// Group commit for message saves: the saves that queue while a batch is being written are
/// written together next, as one statement and so one commit (``MessageRecord/saveStatement(_:)``).
///
/// A send saves its message twice (pending, then its outcome), and one statement and commit per
/// save costs PostgreSQL a round trip, a statement's run and a commit record each; a batch pays
/// them once. As the
/// SQLite writer does, one batch is in flight at a time, each caller returns only once the batch
/// holding its save has committed, and a message saved twice in one batch is written once, as the
/// save that supersedes the other. When a batch fails, each of its saves is written again alone,
/// so that a save the database refuses fails only its own caller.
///
/// ``run()`` writes the batches until ``close()``; the store owns the task that runs it and waits
/// for it when it closes, so the saves queued before then are written.
final class PostgresSaveWriter: Sendable {
    /// Writes a batch of records with distinct ids in one statement.
    typealias Write = @Sendable ([MessageRecord]) async throws -> Void

    private struct PendingSave: Sendable {
        let record: MessageRecord
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State: Sendable {
        var queue: [PendingSave] = []
        var isClosed = false
    }

    private let state = Mutex(State())
    /// Wakes ``run()`` when a save is queued; wake-ups that arrive while it is busy collapse into one.
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let write: Write
    private let maxBatchSize: Int
    private let logger: Logger
    private let batches = Atomic<Int>(0)
    private let commits: (any StoreCommitObserver)?

    /// How many batches have been written, for tests that check saves are really grouped.
    var batchCount: Int { batches.load(ordering: .relaxed) }

    /// How many saves wait for the next batch, for tests that line saves up behind one in flight.
    var queuedCount: Int { state.withLock { $0.queue.count } }

    /// - Parameters:
    ///   - maxBatchSize: The most saves one batch holds.
    ///   - logger: Where failed batches are reported.
    ///   - commits: Hears of each batch committed (metrics).
    ///   - write: Writes one batch; see ``Write``.
    init(maxBatchSize: Int, logger: Logger, commits: (any StoreCommitObserver)? = nil, write: @escaping Write) {
        precondition(maxBatchSize > 0, "a batch holds at least one save")
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.write = write
        self.maxBatchSize = maxBatchSize
        self.logger = logger
        self.commits = commits
    }

    /// Queues `record` and returns once the batch holding it has committed.
    /// - Throws: The database's error for this save, or ``PostgresStoreError/closed``.
    func save(_ record: MessageRecord) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let queued = state.withLock { state in
                guard !state.isClosed else { return false }
                state.queue.append(PendingSave(record: record, continuation: continuation))
                return true
            }
            guard queued else {
                continuation.resume(throwing: PostgresStoreError.closed)
                return
            }
            wake.yield()
        }
    }

    /// Writes batches as saves queue, until ``close()``, then the saves queued before it.
    func run() async {
        for await _ in wakeUps {
            await writeQueued()
        }
        await writeQueued()
    }

    /// Refuses saves from now on; ``run()`` returns once it has written those already queued.
    /// Closing twice is harmless.
    func close() {
        state.withLock { $0.isClosed = true }
        wake.finish()
    }

    private func writeQueued() async {
        while let batch = nextBatch() {
            await commit(batch)
        }
    }

    private func nextBatch() -> [PendingSave]? {
        state.withLock { state in
            guard !state.queue.isEmpty else { return nil }
            let count = min(maxBatchSize, state.queue.count)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            return batch
        }
    }

    /// Writes one batch and resumes its callers.
    private func commit(_ batch: [PendingSave]) async {
        batches.add(1, ordering: .relaxed)
        let started = ContinuousClock.now
        do {
            try await write(MessageRecord.latestPerID(batch.map(\.record)))
            commits?.committed(writes: batch.count, duration: ContinuousClock.now - started)
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            logger.debug(
                "PostgreSQL batch of saves failed; writing each alone",
                metadata: ["sb.store.batch_size": "\(batch.count)", "sb.store.error": "\(error)"]
            )
            await writeAlone(batch)
            return
        }
        for pending in batch { pending.continuation.resume() }
    }

    /// Writes each save of a failed batch in a statement of its own, at once, so that each caller
    /// gets its own save's outcome, in about the time of one statement even when all fail.
    private func writeAlone(_ batch: [PendingSave]) async {
        await withTaskGroup(of: Void.self) { group in
            for pending in batch {
                group.addTask { [write] in
                    do {
                        try await write([pending.record])
                        pending.continuation.resume()
                    } catch {
                        pending.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}
