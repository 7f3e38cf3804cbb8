import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The queue of messages accepted for later delivery (`"async": true`): the `queued` rows of the
/// message log, claimed by workers. Checked once and run against each store.
@Suite("Queue contract")
struct QueueContractTests {
    static let start = Fixtures.instant(800_000_000)

    /// A queued message created `offset` seconds after ``start``, as the gateway records one.
    static func queued(_ id: String, offset: Double = 0) -> MessageRecord {
        let createdAt = start.addingTimeInterval(offset)
        var record = Fixtures.record(id: id, createdAt: createdAt, attempts: [])
        record.kind = .transactional
        record.loggedText = "Your parcel \(id) arrives today"
        record.status = .queued
        record.provider = nil
        record.providerMessageID = nil
        record.updatedAt = createdAt
        return record
    }

    @Test(arguments: StoreKind.allCases)
    func claimMarksTheOldestPendingAndCompletionReplacesThem(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for (index, id) in ["a", "b", "c"].enumerated() { try await store.save(Self.queued(id, offset: Double(index))) }
            #expect(try await store.countQueued() == 3)

            let claimedAt = Self.start.addingTimeInterval(60)
            let first = try await store.claimQueued(limit: 2, at: claimedAt)
            #expect(first.map(\.id) == ["a", "b"])
            #expect(first.map(\.status) == [.pending, .pending])
            #expect(first.map(\.updatedAt) == [claimedAt, claimedAt])
            var claimedA = Self.queued("a")
            claimedA.status = .pending
            claimedA.updatedAt = claimedAt
            #expect(try await store.message(id: "a") == claimedA)
            #expect(first.first == claimedA)
            #expect(try await store.countQueued() == 1)

            #expect(try await store.claimQueued(limit: 2, at: claimedAt).map(\.id) == ["c"])
            #expect(try await store.claimQueued(limit: 2, at: claimedAt).isEmpty)
            #expect(try await store.countQueued() == 0)

            var sent = claimedA
            sent.status = .accepted
            sent.provider = "twilio"
            sent.providerMessageID = "SM1"
            sent.attempts = [
                DeliveryAttempt(provider: "twilio", outcome: .accepted, providerMessageID: "SM1", latencyMicroseconds: 1_000, startedAt: claimedAt)
            ]
            sent.updatedAt = claimedAt.addingTimeInterval(1)
            try await store.save(sent)
            #expect(try await store.message(id: "a") == sent)
            #expect(try await store.recentMessages(to: nil, status: .queued, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func claimsGoOldestFirstWhateverTheSaveOrder(kind: StoreKind) async throws {
        try await kind.withStore { store in
            // Saved newest first; two share a microsecond, and those go in the order they were saved.
            for record in [Self.queued("late", offset: 9), Self.queued("twin-1", offset: 5), Self.queued("twin-2", offset: 5), Self.queued("early", offset: 1)] {
                try await store.save(record)
            }
            let claimed = try await store.claimQueued(limit: 10, at: Self.start.addingTimeInterval(60))
            #expect(claimed.map(\.id) == ["early", "twin-1", "twin-2", "late"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func onlyQueuedMessagesAreClaimed(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var pending = Self.queued("pending", offset: 0)
            pending.status = .pending
            try await store.save(pending)
            try await store.save(Fixtures.record(id: "accepted", createdAt: Self.start))
            try await store.save(Self.queued("queued", offset: 1))
            #expect(try await store.countQueued() == 1)
            #expect(try await store.claimQueued(limit: 10, at: Self.start.addingTimeInterval(60)).map(\.id) == ["queued"])
            #expect(try await store.claimQueued(limit: 0, at: Self.start.addingTimeInterval(60)).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentClaimersNeverGetTheSameMessage(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let ids = (0..<60).map { String(format: "m%02d", $0) }
            for (index, id) in ids.enumerated() { try await store.save(Self.queued(id, offset: Double(index))) }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await store.claimQueued(limit: 7, at: Self.start.addingTimeInterval(60))
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == ids.count)
            #expect(claimed.sorted() == ids)
            #expect(try await store.countQueued() == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theSweepLeavesQueuedAndRecentlyClaimedMessages(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let cutoff = Self.start
            // All created an hour before the cutoff: one claimed before it (a crashed send), one
            // claimed after it (another daemon's send in flight), one never claimed.
            try await store.save(Self.queued("claimed-before", offset: -3600))
            try await store.save(Self.queued("claimed-after", offset: -3599))
            try await store.save(Self.queued("still-queued", offset: -3598))
            #expect(try await store.claimQueued(limit: 1, at: cutoff.addingTimeInterval(-60)).map(\.id) == ["claimed-before"])
            #expect(try await store.claimQueued(limit: 1, at: cutoff.addingTimeInterval(1)).map(\.id) == ["claimed-after"])

            let marked = try await store.markInterrupted(createdBefore: cutoff, note: InterruptedMessages.note(at: cutoff))
            #expect(marked == 1)
            #expect(try await store.message(id: "claimed-before")?.status == .interrupted)
            #expect(try await store.message(id: "claimed-after")?.status == .pending)
            #expect(try await store.message(id: "still-queued")?.status == .queued)
        }
    }

    @Test(arguments: [StoreKind.sqliteFile, .postgres])
    func aReopenedStoreStillHoldsWhatWasNeverClaimed(kind: StoreKind) async throws {
        try await withReopenableStore(kind) { opened in
            try await opened { first in
                try await first.save(Self.queued("claimed", offset: 0))
                try await first.save(Self.queued("unclaimed", offset: 1))
                #expect(try await first.claimQueued(limit: 1, at: Self.start.addingTimeInterval(60)).map(\.id) == ["claimed"])
            }
            var claimed: [MessageRecord] = []
            try await opened { second in claimed = try await second.claimQueued(limit: 10, at: Self.start.addingTimeInterval(120)) }
            #expect(claimed.map(\.id) == ["unclaimed"])
        }
    }
}

/// A store of one kind, opened (and migrated) again for each call on the same file or database,
/// running while the call's body uses it and closed after, as a restarted daemon would see it.
private typealias ReopenedStore = (_ use: (any DurableStore) async throws -> Void) async throws -> Void

/// Calls `body` with a way to open one store of `kind` again and again.
private func withReopenableStore(_ kind: StoreKind, _ body: (ReopenedStore) async throws -> Void) async throws {
    switch kind {
    case .sqliteFile:
        try await withTemporaryDirectory { folder in
            try await body { use in
                let store = try await SQLiteStore.open(path: folder + "/store.sqlite", logger: .quiet)
                try await store.migrate()
                try await closing(store) { try await use($0) }
            }
        }
    case .postgres:
        try await TestPostgres.withDatabase { settings in
            try await body { use in
                try await TestPostgres.withStores(1, on: settings) { stores in
                    try await stores[0].migrate()
                    try await use(stores[0])
                }
            }
        }
    case .memory, .sqliteInMemory:
        Issue.record("\(kind) does not outlive its process")
    }
}
