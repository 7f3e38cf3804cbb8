import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// The gateway does not wait for a message's pending record to commit, so that record may reach
/// the store after the outcome: the newest save must win, attempts included.
@Suite("Saves out of order")
struct OutOfOrderSaveTests {
    /// The record as the gateway first saves it, before any provider was tried.
    static func pending(of final: MessageRecord) -> MessageRecord {
        var record = final
        record.status = .pending
        record.provider = nil
        record.providerMessageID = nil
        record.attempts = []
        record.updatedAt = final.createdAt
        return record
    }

    static var final: MessageRecord {
        var record = Fixtures.record(id: "late")
        record.updatedAt = record.createdAt.addingTimeInterval(0.25)
        return record
    }

    @Test(arguments: StoreKind.allCases)
    func anOlderSaveAfterANewerOneChangesNothing(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.save(Self.final)
            try await store.save(Self.pending(of: Self.final))
            #expect(try await store.message(id: "late") == Self.final)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNewerSaveStillReplacesAnOlderOne(kind: StoreKind) async throws {
        try await kind.withStore { store in
            try await store.save(Self.pending(of: Self.final))
            try await store.save(Self.final)
            #expect(try await store.message(id: "late") == Self.final)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aPendingSaveAtTheSameInstantNeverReplacesTheOutcome(kind: StoreKind) async throws {
        // A clock that stands still (or two saves in one microsecond) gives both the same `updatedAt`.
        var final = Self.final
        final.updatedAt = final.createdAt
        try await kind.withStore { store in
            try await store.save(final)
            try await store.save(Self.pending(of: final))
            #expect(try await store.message(id: "late") == final)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anOutcomeAtTheSameInstantReplacesThePendingRecord(kind: StoreKind) async throws {
        var final = Self.final
        final.updatedAt = final.createdAt
        try await kind.withStore { store in
            try await store.save(Self.pending(of: final))
            try await store.save(final)
            #expect(try await store.message(id: "late") == final)
        }
    }

    @Test(arguments: [StoreKind.sqliteFile, .sqliteInMemory])
    func batchedSavesAtOneInstantKeepTheOutcomeOfEachMessage(kind: StoreKind) async throws {
        try await kind.withSQLiteStore { store in
            let finals = (0..<200).map { index in
                var record = Self.final
                record.id = "tie-\(index)"
                record.updatedAt = record.createdAt
                return record
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for record in finals {
                    group.addTask {
                        try await store.save(record)
                        try await store.save(Self.pending(of: record))
                    }
                }
                try await group.waitForAll()
            }
            for record in finals {
                #expect(try await store.message(id: record.id) == record)
            }
        }
    }

    @Test(arguments: [StoreKind.sqliteFile, .sqliteInMemory])
    func batchedSavesKeepTheNewestOfEachMessage(kind: StoreKind) async throws {
        try await kind.withSQLiteStore { store in
            // Many messages at once, each saved newest first: batches mix them, each keeps its newest.
            let finals = (0..<200).map { index in
                var record = Self.final
                record.id = "late-\(index)"
                return record
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for record in finals {
                    group.addTask {
                        try await store.save(record)
                        try await store.save(Self.pending(of: record))
                    }
                }
                try await group.waitForAll()
            }
            for record in finals {
                #expect(try await store.message(id: record.id) == record)
            }
        }
    }
}
