import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// A save handed to the SQLite writer without waiting for it (the gateway's pending record).
@Suite("SQLite store: saves queued without waiting", .timeLimit(.minutes(3)))
struct SQLiteQueuedSaveTests {
    @Test(arguments: [StoreKind.sqliteFile, .sqliteInMemory])
    func aQueuedSaveHasCommittedOnceASaveQueuedAfterItReturns(kind: StoreKind) async throws {
        try await kind.withSQLiteStore { store in
            let failures = Locked<[String]>([])
            let queued = Fixtures.record(id: "queued-first")
            let taken = store.saveWithoutWaiting(queued) { error in failures.withLock { $0.append("\(error)") } }
            #expect(taken)
            // Nothing awaits the first save; the second is queued behind it, so once the second
            // has committed the first has too.
            try await store.save(Fixtures.record(id: "awaited-second"))
            let stored = try await store.message(id: "queued-first")
            #expect(stored == queued)
            #expect(failures.withLock { $0 } == [])
        }
    }

    @Test func aQueuedSaveOnAClosedStoreReportsThatItIsClosed() async throws {
        let store = try await SQLiteStore.open(path: ":memory:", logger: .quiet)
        try await store.migrate()
        try await store.close()
        let failures = Locked<[String]>([])
        let taken = store.saveWithoutWaiting(Fixtures.record(id: "too-late")) { error in failures.withLock { $0.append("\(error)") } }
        #expect(taken)
        // Refused on the writer's thread in order: once a later save has been refused, so has it.
        let later = await #expect(throws: SQLiteStoreError.self) { try await store.save(Fixtures.record(id: "later")) }
        let closed = SQLiteStoreError.closed.description
        #expect(later?.description == closed)
        #expect(failures.withLock { $0 } == [closed])
    }

    @Test func theMemoryStoreDoesNotQueueSoTheGatewaySavesAnotherWay() async throws {
        let store = MemoryStore()
        let taken = store.saveWithoutWaiting(Fixtures.record()) { _ in }
        #expect(!taken)
        let stored = await store.message(id: Fixtures.record().id)
        #expect(stored == nil)
    }
}
