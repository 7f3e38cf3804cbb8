import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// Group commit of message saves on PostgreSQL: the writer's batching on its own (a scripted
/// write), then the batch statement against a real database.
@Suite("PostgreSQL group commit of saves", .timeLimit(.minutes(3)))
struct PostgresSaveWriterTests {
    /// A write that records each batch's ids, holds the first batch until `release` opens, and
    /// refuses any batch holding a record of the app `poison`.
    final class ScriptedWrite: Sendable {
        let batches = Locked<[[String]]>([])
        let release = Gate()

        func write(_ records: [MessageRecord]) async throws {
            let isFirst = batches.withLock { batches in
                batches.append(records.map(\.id))
                return batches.count == 1
            }
            if isFirst { await release.wait() }
            if records.contains(where: { $0.app == "poison" }) { throw Refused() }
        }
    }

    struct Refused: Error, Equatable {}

    static func pending(_ id: String) -> MessageRecord {
        var record = Fixtures.record(id: id, attempts: [])
        record.status = .pending
        record.provider = nil
        record.providerMessageID = nil
        record.updatedAt = record.createdAt
        return record
    }

    /// Runs a writer with `script` as its write, hands it to `body`, then closes it and waits for it.
    static func withWriter(
        _ script: ScriptedWrite, commits: (any StoreCommitObserver)? = nil, _ body: (PostgresSaveWriter) async throws -> Void
    ) async throws {
        let writer = PostgresSaveWriter(maxBatchSize: 100, logger: .quiet, commits: commits) { try await script.write($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run() }
            do {
                try await body(writer)
            } catch {
                writer.close()
                script.release.open()
                throw error
            }
            writer.close()
            try await group.waitForAll()
        }
    }

    /// Saves `records` at once behind a first save that the script holds, so that they all queue
    /// for the second batch; returns each save's outcome by id once the script lets go.
    static func saveBehindAHeldBatch(
        _ writer: PostgresSaveWriter, _ script: ScriptedWrite, _ records: [MessageRecord]
    ) async throws -> [String: Result<Void, any Error>] {
        try await withThrowingTaskGroup(of: (String, Result<Void, any Error>).self) { group in
            group.addTask { ("held", await outcome { try await writer.save(pending("held")) }) }
            try await waitUntil("the first batch is being written") { script.batches.withLock { $0.count } == 1 }
            for (index, record) in records.enumerated() {
                group.addTask { ("\(index):\(record.id)", await outcome { try await writer.save(record) }) }
                // One at a time, so that the queue's order is the list's.
                try await waitUntil("save \(index) is queued") { writer.queuedCount == index + 1 }
            }
            script.release.open()
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    /// The sizes of the batches committed, as the store metrics hear of them.
    final class CommitSizes: StoreCommitObserver {
        let sizes = Locked<[Int]>([])
        func committed(writes: Int, duration: Duration) { sizes.withLock { $0.append(writes) } }
    }

    @Test func savesQueuedWhileABatchIsWrittenShareTheNextBatch() async throws {
        let script = ScriptedWrite()
        let commits = CommitSizes()
        try await Self.withWriter(script, commits: commits) { writer in
            let records = (0..<40).map { Fixtures.record(id: "m\($0)") }
            let outcomes = try await Self.saveBehindAHeldBatch(writer, script, records)
            #expect(outcomes.count == 41)
            #expect(outcomes.values.allSatisfy { (try? $0.get()) != nil })
            #expect(script.batches.withLock { $0 } == [["held"], records.map(\.id)])
            #expect(writer.batchCount == 2)
            #expect(commits.sizes.withLock { $0 } == [1, 40])
        }
    }

    @Test func aMessageSavedTwiceInOneBatchIsWrittenOnceAsTheSaveThatSupersedes() async throws {
        let script = ScriptedWrite()
        let written = Locked<[MessageRecord]>([])
        let writer = PostgresSaveWriter(maxBatchSize: 100, logger: .quiet) { records in
            written.withLock { $0 += records }
            try await script.write(records)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run() }
            // The outcome queued before its pending record, and the pending record before the outcome.
            let late = Fixtures.record(id: "late")
            let early = Fixtures.record(id: "early")
            _ = try await Self.saveBehindAHeldBatch(writer, script, [late, Self.pending("late"), Self.pending("early"), early])
            writer.close()
            try await group.waitForAll()
            #expect(written.withLock { $0 } == [Self.pending("held"), late, early])
        }
    }

    @Test func aRefusedSaveFailsAloneAndTheRestOfItsBatchIsWritten() async throws {
        let script = ScriptedWrite()
        try await Self.withWriter(script) { writer in
            var records = (0..<5).map { Fixtures.record(id: "m\($0)") }
            records[2].app = "poison"
            let outcomes = try await Self.saveBehindAHeldBatch(writer, script, records)
            for (index, record) in records.enumerated() {
                let outcome = try #require(outcomes["\(index):\(record.id)"])
                if index == 2 {
                    #expect(throws: Refused.self) { try outcome.get() }
                } else {
                    #expect((try? outcome.get()) != nil, "\(record.id)")
                }
            }
            // The batch, then each of its saves alone (in any order).
            let batches = script.batches.withLock { $0 }
            #expect(batches.prefix(2) == [["held"], records.map(\.id)])
            #expect(Set(batches.dropFirst(2)) == Set(records.map { [$0.id] }))
        }
    }

    @Test func closingWritesWhatWasQueuedAndRefusesLaterSaves() async throws {
        let script = ScriptedWrite()
        let writer = PostgresSaveWriter(maxBatchSize: 100, logger: .quiet) { try await script.write($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run() }
            group.addTask { try await writer.save(Self.pending("held")) }
            try await waitUntil("the first batch is being written") { script.batches.withLock { $0.count } == 1 }
            group.addTask { try await writer.save(Fixtures.record(id: "queued")) }
            try await waitUntil("a save is queued") { writer.queuedCount == 1 }
            writer.close()
            await #expect(throws: PostgresStoreError.self) { try await writer.save(Fixtures.record(id: "late")) }
            script.release.open()
            try await group.waitForAll()
        }
        #expect(script.batches.withLock { $0 } == [["held"], ["queued"]])
    }

    // MARK: The batch statement, on a real database

    /// Holds a lock on `messages` that its writes wait for, so that saves queue behind the first batch.
    static func holdingMessages(
        _ store: PostgresStore, until release: Gate, locked: Gate
    ) async throws {
        try await store.transaction { connection in
            try await connection.run("LOCK TABLE messages IN SHARE MODE", logger: store.logger)
            locked.open()
            await release.wait()
        }
    }

    /// Saves `records` at once behind a first save that waits on a table lock, so that they all
    /// reach the database in one batch; returns each save's outcome in order.
    static func saveInOneBatch(_ store: PostgresStore, _ records: [MessageRecord]) async throws -> [Result<Void, any Error>] {
        let release = Gate()
        let locked = Gate()
        let before = store.saves.batchCount
        return try await withThrowingTaskGroup(of: (Int, Result<Void, any Error>).self) { group in
            group.addTask {
                try await holdingMessages(store, until: release, locked: locked)
                return (-2, .success(()))
            }
            await locked.wait()
            group.addTask { (-1, await outcome { try await store.save(pending("first-of-all")) }) }
            try await waitUntil("the first batch is being written") { store.saves.batchCount == before + 1 && store.saves.queuedCount == 0 }
            for (index, record) in records.enumerated() {
                group.addTask { (index, await outcome { try await store.save(record) }) }
                try await waitUntil("save \(index) is queued") { store.saves.queuedCount == index + 1 }
            }
            release.open()
            let outcomes = try await group.reduce(into: [Int: Result<Void, any Error>]()) { $0[$1.0] = $1.1 }
            #expect(store.saves.batchCount - before == 2)
            return records.indices.map { outcomes[$0]! }
        }
    }

    @Test func oneBatchLeavesWhatSavingEachInTurnLeaves() async throws {
        // Stored first: messages that the batch then replaces, or fails to replace being older.
        var stored = Fixtures.record(id: "b-replaced")
        stored.attempts.append(DeliveryAttempt(provider: "p3", outcome: .retryable, latencyMicroseconds: 3, startedAt: stored.createdAt))
        var newer = stored
        newer.id = "b-kept"
        newer.updatedAt = stored.updatedAt.addingTimeInterval(10)
        // The batch: a new message, fewer attempts for a stored one, an older save of another, a
        // message saved twice (outcome first), a new pending one, and texts a `text` column cannot hold.
        var replacing = stored
        replacing.attempts = [DeliveryAttempt(provider: "p9", outcome: .accepted, providerMessageID: "x", latencyMicroseconds: 9, startedAt: stored.createdAt)]
        replacing.updatedAt = stored.updatedAt.addingTimeInterval(1)
        var older = newer
        older.status = .failed
        older.attempts = []
        older.updatedAt = stored.updatedAt
        var unusual = Fixtures.record(id: "b-unusual")
        unusual.loggedText = "nul\u{0} and emoji 🙂"
        unusual.attempts[0].providerMessage = "line\u{0}break"
        unusual.attempts[1].providerCode = ""
        let batch = [
            Fixtures.record(id: "b-new"), replacing, older, Fixtures.record(id: "b-twice"), Self.pending("b-twice"),
            Self.pending("b-pending"), unusual,
        ]
        let expected = MemoryStore()
        for record in [stored, newer] + batch { await expected.save(record) }
        try await TestPostgres.withStore { store in
            try await store.save(stored)
            try await store.save(newer)
            let outcomes = try await Self.saveInOneBatch(store, batch)
            for outcome in outcomes { try outcome.get() }
            let saved = try await store.recentMessages(to: nil, limit: 100).filter { $0.id != "first-of-all" }
            #expect(saved == (try await expected.recentMessages(to: nil, limit: 100)))
        }
    }

    @Test func aSaveTheDatabaseRefusesFailsAloneInItsBatch() async throws {
        try await TestPostgres.withStore { store in
            var records = (0..<6).map { Fixtures.record(id: "r\($0)") }
            // PostgreSQL's `text` cannot hold U+0000.
            records[3].providerMessageID = "bad\u{0}id"
            let outcomes = try await Self.saveInOneBatch(store, records)
            for (index, outcome) in outcomes.enumerated() where index != 3 {
                #expect((try? outcome.get()) != nil, "r\(index)")
            }
            #expect(throws: (any Error).self) { try outcomes[3].get() }
            let saved = try await store.recentMessages(to: nil, limit: 100).map(\.id)
            #expect(Set(saved) == Set(["first-of-all", "r0", "r1", "r2", "r4", "r5"]))
        }
    }

    @Test func closingTheStoreWritesTheSavesQueuedBeforeIt() async throws {
        try await TestPostgres.withDatabase { settings in
            let records = (0..<20).map { Fixtures.record(id: "c\($0)", createdAt: Fixtures.instant(800_000_000 + Int64($0))) }
            let store = try await TestPostgres.withStores(1, on: settings) { stores in
                let store = stores[0]
                try await store.migrate()
                try await Self.closeWhileSaving(store, records)
                return store
            }
            await #expect(throws: PostgresStoreError.self) { try await store.save(Fixtures.record(id: "after")) }
            let saved = try await TestPostgres.withStores(1, on: settings) { try await $0[0].recentMessages(to: nil, limit: 100) }
            #expect(saved == records.reversed())
        }
    }

    /// Queues `records` behind a batch that waits on a table lock, closes the store, then lets the
    /// batch commit; returns once every save has been answered.
    private static func closeWhileSaving(_ store: PostgresStore, _ records: [MessageRecord]) async throws {
        let release = Gate()
        let locked = Gate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.holdingMessages(store, until: release, locked: locked) }
            await locked.wait()
            group.addTask { try await store.save(records[0]) }
            try await waitUntil("the first batch is being written") { store.saves.batchCount == 1 && store.saves.queuedCount == 0 }
            for index in records.indices.dropFirst() {
                group.addTask { try await store.save(records[index]) }
                try await waitUntil("save \(index) is queued") { store.saves.queuedCount == index }
            }
            store.saves.close()
            release.open()
            try await store.close()
            try await group.waitForAll()
        }
    }
}

/// What `body` did: returned, or threw.
private func outcome(_ body: () async throws -> Void) async -> Result<Void, any Error> {
    do {
        try await body()
        return .success(())
    } catch {
        return .failure(error)
    }
}

/// Waits, a millisecond at a time, until `condition` holds; fails the test after `limit`.
private func waitUntil(_ what: String, within limit: Duration = .seconds(30), _ condition: () -> Bool) async throws {
    let end = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < end else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}
