import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// What only the SQLite store promises: persistence, migrations, sharing the file, group commit.
@Suite("SQLite store", .timeLimit(.minutes(3)))
struct SQLiteStoreTests {
    /// Opens and migrates a store at `path`.
    private func open(_ path: String, maxBatchSize: Int = 512, gathering: CommitGathering = .default) async throws -> SQLiteStore {
        let store = try await SQLiteStore.open(path: path, logger: .quiet, maxBatchSize: maxBatchSize, gathering: gathering)
        try await store.migrate()
        return store
    }

    @Test func reopeningTheFileKeepsEverything() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/switchboard.sqlite"
            let records = (0..<3).map { Fixtures.record(id: "r\($0)", createdAt: Fixtures.instant(800_000_000 + Int64($0))) }
            let delivered = try await closing(try await open(path)) { store throws in
                for record in records { try await store.save(record) }
                return [
                    try await store.deliver(Fixtures.inbox(text: "one")),
                    try await store.deliver(Fixtures.inbox(text: "two")),
                ]
            }

            try await closing(try await open(path)) { store throws in
                #expect(try await store.recentMessages(to: nil, limit: 10) == records.reversed())
                #expect(try await store.message(id: "r1") == records[1])
                #expect(try await store.inbox(to: nil, after: nil, limit: 10) == delivered)
                let next = try await store.deliver(Fixtures.inbox(text: "three"))
                #expect(next.sequence > delivered[1].sequence)
            }
        }
    }

    @Test func migratingTwiceChangesNothing() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await SQLiteStore.open(path: folder + "/db.sqlite", logger: .quiet)
            try await closing(store) { store in
                #expect(try await store.schemaVersion() == 0)
                try await store.migrate()
                let version = try await store.schemaVersion()
                #expect(version == SQLiteMigration.all.last?.version)
                try await store.save(Fixtures.record())
                try await store.migrate()
                #expect(try await store.schemaVersion() == version)
                #expect(try await store.message(id: Fixtures.record().id) == Fixtures.record())
            }
            // And from a second connection to a file already migrated.
            try await closing(try await open(folder + "/db.sqlite")) { store throws in
                #expect(try await store.message(id: Fixtures.record().id) == Fixtures.record())
            }
        }
    }

    @Test func aSecondConnectionSeesCommittedInboxMessages() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/shared.sqlite"
            try await closing(try await open(path)) { daemon in
                try await closing(try await open(path)) { follower in
                    #expect(try await follower.inbox(to: nil, after: nil, limit: 10).isEmpty)
                    let first = try await daemon.deliver(Fixtures.inbox(text: "first"))
                    #expect(try await follower.inbox(to: nil, after: nil, limit: 10) == [first])

                    // The follower polls by cursor while the daemon keeps writing.
                    var seen = [first]
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<100 {
                            group.addTask { _ = try await daemon.deliver(Fixtures.inbox(text: "m\(index)")) }
                        }
                        try await waitUntil("the follower has read all 101 messages") {
                            seen += try await follower.inbox(to: nil, after: seen.last?.sequence, limit: 7)
                            return seen.count >= 101
                        }
                        try await group.waitForAll()
                    }
                    #expect(seen == (try await daemon.inbox(to: nil, after: nil, limit: 1_000)))
                }
            }
        }
    }

    @Test func concurrentWritesShareTransactions() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/batched.sqlite"
            let records = (0..<500).map { Fixtures.record(id: "g\($0)", createdAt: Fixtures.instant(800_000_000 + Int64($0))) }
            try await closing(try await open(path)) { store throws in
                let before = await store.flushCount
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for record in records {
                        group.addTask { try await store.save(record) }
                    }
                    try await group.waitForAll()
                }
                let transactions = await store.flushCount - before
                #expect(transactions >= 1)
                #expect(transactions <= 50, "500 concurrent saves took \(transactions) transactions")
            }
            // Every save returned, so every one must be on disk.
            try await closing(try await open(path)) { store throws in
                #expect(try await store.recentMessages(to: nil, limit: 1_000) == records.reversed())
            }
        }
    }

    @Test func aMessageSavedTwiceInOneBatchKeepsItsLastSave() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/twice.sqlite"
            let pending = {
                var record = Fixtures.record(id: "twice", attempts: [])
                record.status = .pending
                record.provider = nil
                record.providerMessageID = nil
                return record
            }()
            let final = Fixtures.record(id: "twice")
            try await closing(try await open(path)) { store throws in
                // Both saves queue up behind the held writer, so that they land in one batch. Both
                // records carry the same `updatedAt`, so only the order decides: the second save is
                // started only once the first is waiting on the writer's thread.
                try await withWriterHeld(store) { waiting, release in
                    let before = await store.flushCount
                    async let first: Void = store.save(pending)
                    try await waitUntilQueued(store, 1, after: waiting, "the first save waits on the writer's thread")
                    async let second: Void = store.save(final)
                    try await waitUntilQueued(store, 2, after: waiting, "the second save waits behind it")
                    release()
                    try await first
                    try await second
                    #expect(await store.flushCount - before == 1)
                }
                #expect(try await store.message(id: "twice") == final)
            }
            try await closing(try await open(path)) { store throws in
                #expect(try await store.recentMessages(to: nil, limit: 10) == [final])
            }
        }
    }

    @Test func concurrentTransactionsShareCommitsAndFailAlone() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/transactions.sqlite"
            try await closing(try await open(path)) { store throws in
                try await store.executeUnbatched("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
                let before = await store.flushCount
                // 200 transactions each insert two numbers; those with an odd index collide with
                // their neighbour's second number, so they fail after their first insert, which
                // must be rolled back with them.
                let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            do {
                                try await store.writer.inTransaction { connection in
                                    try connection.execute("INSERT INTO numbers (n) VALUES (?1)", [.integer(1_000 + index)])
                                    let second = index.isMultiple(of: 2) ? 10 * index : 10 * (index - 1)
                                    // An odd index waits for its even neighbour, whose number it repeats.
                                    if !index.isMultiple(of: 2) { Thread.sleep(forTimeInterval: 0.001) }
                                    try connection.execute("INSERT OR ABORT INTO numbers (n) VALUES (?1)", [.integer(second + 100_000)])
                                }
                                return (index, true)
                            } catch {
                                return (index, false)
                            }
                        }
                    }
                    return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
                }
                let transactions = await store.flushCount - before
                #expect(transactions < 100, "200 concurrent transactions took \(transactions) commits")
                let rows = try await store.writer.withConnection { try $0.query("SELECT n FROM numbers ORDER BY n") }
                let numbers = Set(rows.map { $0.column("n")?.integerValue ?? -1 })
                for index in 0..<200 {
                    let committed = numbers.contains(1_000 + index)
                    #expect(committed == (outcomes[index] == true), "transaction \(index)")
                }
                #expect(numbers.count == 2 * outcomes.values.filter { $0 }.count)
            }
        }
    }

    /// Five transactions queued behind a held writer, so that they form one batch; `failing` (if
    /// any) inserts its number, then throws. Returns how often each body ran, each outcome, the
    /// numbers committed and the transactions begun.
    private func oneBatch(failing: Int?) async throws -> (runs: [Int: Int], succeeded: [Int: Bool], numbers: Set<Int>, transactions: Int) {
        try await withTemporaryDirectory { folder in
            try await closing(try await open(folder + "/batch.sqlite")) { store throws in
                try await store.executeUnbatched("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
                let runs = Locked<[Int: Int]>([:])
                let before = await store.flushCount
                let outcomes = try await withWriterHeld(store) { waiting, release in
                    try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                        for index in 1...5 {
                            group.addTask {
                                do {
                                    try await store.writer.inTransaction { connection in
                                        runs.withLock { $0[index, default: 0] += 1 }
                                        try connection.execute("INSERT INTO numbers (n) VALUES (?1)", [.integer(index)])
                                        if index == failing { throw CancellationError() }
                                    }
                                    return (index, true)
                                } catch is CancellationError {
                                    return (index, false)
                                }
                            }
                            try await waitUntilQueued(store, index, after: waiting, "transaction \(index) waits on the writer's thread")
                        }
                        release()
                        return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
                    }
                }
                let transactions = await store.flushCount - before
                let rows = try await store.writer.withConnection { try $0.query("SELECT n FROM numbers") }
                let numbers = Set(rows.compactMap { $0.column("n")?.integerValue })
                return (runs.withLock { $0 }, outcomes, numbers, transactions)
            }
        }
    }

    @Test func aBatchOfTransactionsThatAllSucceedRunsEachBodyOnceInOneTransaction() async throws {
        let batch = try await oneBatch(failing: nil)
        #expect(batch.runs == [1: 1, 2: 1, 3: 1, 4: 1, 5: 1])
        #expect(batch.succeeded == [1: true, 2: true, 3: true, 4: true, 5: true])
        #expect(batch.numbers == [1, 2, 3, 4, 5])
        #expect(batch.transactions == 1)
    }

    @Test func aBodyThatThrowsIsUndoneAloneWhenItsBatchRunsAgain() async throws {
        let batch = try await oneBatch(failing: 3)
        // The first run stopped at the third body and was rolled back; the second ran them all.
        #expect(batch.runs == [1: 2, 2: 2, 3: 2, 4: 1, 5: 1])
        #expect(batch.succeeded == [1: true, 2: true, 3: false, 4: true, 5: true])
        #expect(batch.numbers == [1, 2, 4, 5])
        #expect(batch.transactions == 2)
    }

    /// A save, a transaction that counts the stored messages with the first save's id and inserts a
    /// number (then throws, when `failing`), and another save, queued in that order behind a held
    /// writer. Returns what the transaction counted (or `nil` when it failed), the transactions
    /// begun, the messages stored and the numbers committed.
    private func savesBesideATransaction(failing: Bool) async throws -> (
        counted: Int?, transactions: Int, stored: [MessageRecord?], numbers: [Int]
    ) {
        try await withTemporaryDirectory { folder in
            try await closing(try await open(folder + "/mixed.sqlite")) { store throws in
                try await store.executeUnbatched("CREATE TABLE numbers (n INTEGER PRIMARY KEY)")
                let first = Fixtures.record(id: "before")
                let second = Fixtures.record(id: "after")
                let before = await store.flushCount
                let counted: Int? = try await withWriterHeld(store) { waiting, release in
                    async let saved: Void = store.save(first)
                    try await waitUntilQueued(store, 1, after: waiting, "the first save waits on the writer's thread")
                    async let transaction: Int = store.writer.inTransaction { connection in
                        let rows = try connection.query("SELECT count(*) AS n FROM messages WHERE id = ?1", [.text(first.id)])
                        try connection.execute("INSERT INTO numbers (n) VALUES (7)")
                        if failing { throw CancellationError() }
                        return rows.first?.column("n")?.integerValue ?? -1
                    }
                    try await waitUntilQueued(store, 2, after: waiting, "the transaction waits behind it")
                    async let savedAfter: Void = store.save(second)
                    try await waitUntilQueued(store, 3, after: waiting, "the second save waits behind both")
                    release()
                    try await saved
                    try await savedAfter
                    do { return try await transaction } catch is CancellationError { return nil }
                }
                let transactions = await store.flushCount - before
                let rows = try await store.writer.withConnection { try $0.query("SELECT n FROM numbers") }
                return (
                    counted, transactions,
                    [try await store.message(id: first.id), try await store.message(id: second.id)],
                    rows.compactMap { $0.column("n")?.integerValue }
                )
            }
        }
    }

    @Test func savesAndTransactionsQueuedTogetherShareOneCommitInTheOrderTheyCame() async throws {
        let batch = try await savesBesideATransaction(failing: false)
        #expect(batch.transactions == 1)
        #expect(batch.counted == 1, "the transaction sees the save queued before it")
        #expect(batch.stored == [Fixtures.record(id: "before"), Fixtures.record(id: "after")])
        #expect(batch.numbers == [7])
    }

    @Test func aTransactionThatThrowsBesideSavesIsUndoneAloneAndTheSavesCommit() async throws {
        let batch = try await savesBesideATransaction(failing: true)
        #expect(batch.counted == nil)
        // The first run was rolled back at the transaction; the second ran each job in a savepoint.
        #expect(batch.transactions == 2)
        #expect(batch.stored == [Fixtures.record(id: "before"), Fixtures.record(id: "after")])
        #expect(batch.numbers.isEmpty)
    }

    @Test func batchesOfEverySizeShareAFewPreparedStatements() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/sizes.sqlite"
            let sizes = 1...70
            var records: [MessageRecord] = []
            try await closing(try await open(path)) { store throws in
                let statementsBefore = try await store.writer.withConnection { $0.cachedStatementCount }
                let before = await store.flushCount
                for size in sizes {
                    let batch = (0..<size).map { index in
                        Fixtures.record(id: "s\(size)-\(index)", createdAt: Fixtures.instant(800_000_000 + Int64(records.count + index)))
                    }
                    records += batch
                    try await withWriterHeld(store) { waiting, release in
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for record in batch {
                                group.addTask { try await store.save(record) }
                            }
                            try await waitUntilQueued(store, size, after: waiting, "the \(size) saves wait on the writer's thread")
                            release()
                            try await group.waitForAll()
                        }
                    }
                }
                #expect(await store.flushCount - before == sizes.count, "one batch for each size")
                // The upsert, the attempts' delete and their insert, each in pieces of 1, 2, 4, … 64 rows.
                let statementsAdded = try await store.writer.withConnection { $0.cachedStatementCount } - statementsBefore
                #expect(statementsAdded <= 3 * 7, "batches of 1 to 70 saves prepared \(statementsAdded) statements")
            }
            try await closing(try await open(path)) { store throws in
                #expect(try await store.recentMessages(to: nil, limit: 5_000) == records.reversed())
            }
        }
    }

    @Test func aSmallBatchWaitsForMoreWritesWhileTheWriterIsBusy() async throws {
        try await withTemporaryDirectory { folder in
            // A window far longer than the test: the first save's batch can only end by gathering the second.
            let gathering = CommitGathering(target: 2, window: .seconds(600), busyWithin: .seconds(600))
            try await closing(try await open(folder + "/gathered.sqlite", gathering: gathering)) { store throws in
                try await store.save(Fixtures.record(id: "first-commit"))
                let before = await store.flushCount
                async let early: Void = store.save(Fixtures.record(id: "early"))
                // Long enough for a writer that does not wait to have committed the early save alone.
                try await Task.sleep(for: .milliseconds(100))
                try await store.save(Fixtures.record(id: "late"))
                try await early
                #expect(await store.flushCount - before == 1, "the early save waited for the late one and they shared a commit")
                #expect(try await store.message(id: "early") != nil)
                #expect(try await store.message(id: "late") != nil)
            }
        }
    }

    @Test func aSmallBatchCommitsWhenItsWindowEndsWithoutMore() async throws {
        try await withTemporaryDirectory { folder in
            let gathering = CommitGathering(target: 8, window: .milliseconds(20), busyWithin: .seconds(600))
            try await closing(try await open(folder + "/alone.sqlite", gathering: gathering)) { store throws in
                try await store.save(Fixtures.record(id: "first-commit"))
                let before = await store.flushCount
                try await store.save(Fixtures.record(id: "alone"))
                #expect(await store.flushCount - before == 1)
                #expect(try await store.message(id: "alone") != nil)
            }
        }
    }

    @Test func anIdleWriterCommitsAtOnce() async throws {
        try await withTemporaryDirectory { folder in
            // Were either save to wait its window, the suite's time limit would fail the test.
            let gathering = CommitGathering(target: 8, window: .seconds(600), busyWithin: .milliseconds(1))
            try await closing(try await open(folder + "/idle.sqlite", gathering: gathering)) { store throws in
                try await store.save(Fixtures.record(id: "before-any-commit"))
                try await Task.sleep(for: .milliseconds(50))
                try await store.save(Fixtures.record(id: "after-a-pause"))
                #expect(try await store.message(id: "after-a-pause") != nil)
            }
        }
    }

    @Test func batchesAreCapped() async throws {
        try await withTemporaryDirectory { folder in
            try await closing(try await open(folder + "/capped.sqlite", maxBatchSize: 16)) { store in
                let before = await store.flushCount
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<200 {
                        group.addTask { _ = try await store.deliver(Fixtures.inbox(text: "\(index)")) }
                    }
                    try await group.waitForAll()
                }
                #expect(await store.flushCount - before >= 13)  // 200 / 16, rounded up
                #expect(try await store.inbox(to: nil, after: nil, limit: 1_000).count == 200)
            }
        }
    }

    @Test func aFailedWriteFailsAloneInItsBatch() async throws {
        try await withTemporaryDirectory { folder in
            try await closing(try await open(folder + "/faults.sqlite")) { store in
                try await store.executeUnbatched(
                    """
                    CREATE TEMP TRIGGER reject_poisoned_message BEFORE INSERT ON messages
                    WHEN NEW.app = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned message'); END
                    """
                )
                try await store.executeUnbatched(
                    """
                    CREATE TEMP TRIGGER reject_poisoned_inbox BEFORE INSERT ON inbox
                    WHEN NEW.text = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned inbox'); END
                    """
                )
                let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                    for index in 0..<120 {
                        group.addTask {
                            let poisoned = index % 20 == 7
                            do {
                                if index.isMultiple(of: 2) {
                                    var record = Fixtures.record(id: "f\(index)")
                                    if poisoned { record.app = "poison" }
                                    try await store.save(record)
                                } else {
                                    _ = try await store.deliver(Fixtures.inbox(text: poisoned ? "poison" : "ok"))
                                }
                                return (index, true)
                            } catch {
                                #expect(!(error is SQLiteStoreError), "only the poisoned write fails: \(error)")
                                return (index, false)
                            }
                        }
                    }
                    return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
                }
                for index in 0..<120 {
                    #expect(outcomes[index] == (index % 20 != 7), "write \(index)")
                }
                #expect(try await store.recentMessages(to: nil, limit: 1_000).count == 60)
                #expect(try await store.inbox(to: nil, after: nil, limit: 1_000).count == 54)
                #expect(try await store.inbox(to: nil, after: nil, limit: 1_000).allSatisfy { $0.text == "ok" })
            }
        }
    }

    @Test func theFileIsDurableAndShareable() async throws {
        try await withTemporaryDirectory { folder in
            try await closing(try await open(folder + "/pragmas.sqlite")) { store in
                let pragmas = try await store.pragmas()
                #expect(pragmas.journalMode == "wal")
                #expect(pragmas.synchronous == 2)  // FULL
                #expect(pragmas.foreignKeys)
                #expect(pragmas.busyTimeoutMilliseconds == 5_000)
                // A batch's statement journals stay in memory rather than in a new temporary file each.
                #expect(pragmas.tempStore == 2)  // MEMORY
            }
        }
    }

    @Test func processCrashDurabilityCommitsWithoutWaitingForTheDiskAndKeepsWhatItCommitted() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/normal.sqlite"
            let store = try await SQLiteStore.open(path: path, logger: .quiet, durability: .processCrash)
            try await store.migrate()
            try await closing(store) { store throws in
                let pragmas = try await store.pragmas()
                #expect(pragmas.journalMode == "wal")
                #expect(pragmas.synchronous == 1)  // NORMAL
                try await store.save(Fixtures.record(id: "kept"))
            }
            try await closing(try await open(path)) { store throws in
                #expect(try await store.message(id: "kept")?.id == "kept")
                #expect(try await store.pragmas().synchronous == 2, "durability is the opener's, not the file's")
            }
        }
    }

    @Test func openingCreatesMissingFolders() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/data/nested/switchboard.sqlite"
            try await closing(try await open(path)) { store throws in
                try await store.save(Fixtures.record())
            }
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func aClosedStoreRefusesWork() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await open(folder + "/closed.sqlite")
            async let saving: Void = store.save(Fixtures.record(id: "before-close"))
            async let closing: Void = store.close()
            async let closingAgain: Void = store.close()
            _ = try await (closing, closingAgain)
            try await store.close()
            // A save that raced the close either committed or was refused; it never hangs.
            _ = try? await saving
            let saveError = await #expect(throws: SQLiteStoreError.self) { try await store.save(Fixtures.record()) }
            let readError = await #expect(throws: SQLiteStoreError.self) { try await store.message(id: "x") }
            #expect(isClosed(saveError), "\(String(describing: saveError))")
            #expect(isClosed(readError), "\(String(describing: readError))")
        }
    }

    @Test func theSQLiteHelperRefusesTheMemoryKindInsteadOfSubstitutingAStore() async {
        var ran = false
        await #expect(throws: NotASQLiteStore(kind: .memory)) {
            try await StoreKind.memory.withSQLiteStore { _ in ran = true }
        }
        #expect(!ran)
    }

    @Test func asAServiceItClosesAtGracefulShutdown() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await open(folder + "/service.sqlite")
            let group = ServiceGroup(services: [store], logger: .quiet)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await store.save(Fixtures.record())
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let afterShutdown = await #expect(throws: SQLiteStoreError.self) { try await store.save(Fixtures.record()) }
            #expect(isClosed(afterShutdown), "\(String(describing: afterShutdown))")
            try await closing(try await open(folder + "/service.sqlite")) { reopened throws in
                #expect(try await reopened.message(id: Fixtures.record().id) == Fixtures.record())
            }
        }
    }
}

/// Whether `error` is the refusal of a closed store, and not some other failure.
private func isClosed(_ error: SQLiteStoreError?) -> Bool {
    if case .closed? = error { true } else { false }
}

/// Checks `condition` until it holds, and fails the test after `limit`: a bounded wait for an
/// event that has no signal of its own.
private func waitUntil(
    _ what: String, within limit: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws {
    let end = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < end else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Waits until `count` jobs wait on the writer's thread beside the `waiting` that already did.
private func waitUntilQueued(_ store: SQLiteStore, _ count: Int, after waiting: Int, _ what: String) async throws {
    try await waitUntil(what) { store.writer.executor.waitingCount == waiting + count }
}

/// Runs `body` while the writer's thread is blocked, so that the jobs it queues wait there, and
/// run as one batch once it calls `release`; `waiting` is how many jobs already waited.
private func withWriterHeld<T>(
    _ store: SQLiteStore, _ body: (_ waiting: Int, _ release: @Sendable () -> Void) async throws -> T
) async throws -> T {
    let hold = Hold()
    async let holding: Void = store.writer.withConnection { _ in hold.block() }
    // Also after a failed wait, so that the thread is not left blocked for ever. (Declared after
    // `holding`, so it runs before the implicit wait for it.)
    defer { hold.release() }
    try await waitUntil("the writer's thread is held") { hold.isBlocking }
    let result = try await body(store.writer.executor.waitingCount, { hold.release() })
    try await holding
    return result
}

/// Blocks the thread that calls ``block()`` until another calls ``release()``: it holds a
/// connection's thread for exactly as long as a test needs, whatever the machine's load.
private final class Hold: Sendable {
    private let blocking = Atomic<Bool>(false)
    private let released = Atomic<Bool>(false)

    var isBlocking: Bool { blocking.load(ordering: .acquiring) }

    func block() {
        blocking.store(true, ordering: .releasing)
        while !released.load(ordering: .acquiring) { Thread.sleep(forTimeInterval: 0.001) }
    }

    func release() { released.store(true, ordering: .releasing) }
}
