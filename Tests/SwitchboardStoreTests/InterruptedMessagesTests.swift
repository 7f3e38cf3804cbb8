import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// Closing the messages a stopped daemon left `pending`, against every store.
@Suite("Interrupted messages")
struct InterruptedMessagesTests {
    static let start = Fixtures.instant(800_000_000)
    static let cutoff = InterruptedMessages.cutoff(processStart: start, now: start, deadline: .seconds(10))

    static func pending(_ id: String, createdAt: Date) -> MessageRecord {
        var record = Fixtures.record(id: id, createdAt: createdAt, attempts: [])
        record.status = .pending
        record.provider = nil
        record.providerMessageID = nil
        record.updatedAt = createdAt
        return record
    }

    @Test(arguments: StoreKind.allCases)
    func onlyPendingMessagesOlderThanTheCutoffAreClosedWithANote(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let crashed = Self.pending("crashed", createdAt: Self.start.addingTimeInterval(-3600))
            // Created before the start but within the deadline: another daemon may still be sending it.
            let inFlight = Self.pending("in-flight", createdAt: Self.start.addingTimeInterval(-1))
            let mine = Self.pending("mine", createdAt: Self.start.addingTimeInterval(1))
            let done = Fixtures.record(id: "done", createdAt: Self.start.addingTimeInterval(-3600))
            for record in [crashed, inFlight, mine, done] { try await store.save(record) }

            let note = InterruptedMessages.note(at: Self.start)
            #expect(try await store.markInterrupted(createdBefore: Self.cutoff, note: note) == 1)

            var expected = crashed
            expected.status = .interrupted
            expected.attempts = [note]
            #expect(try await store.message(id: "crashed") == expected)
            #expect(try await store.message(id: "in-flight") == inFlight)
            #expect(try await store.message(id: "mine") == mine)
            #expect(try await store.message(id: "done") == done)
            // Final: a second sweep finds nothing more.
            #expect(try await store.markInterrupted(createdBefore: Self.cutoff, note: note) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theNoteFollowsAnyAttemptsAlreadyRecorded(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var crashed = Fixtures.record(id: "crashed", createdAt: Self.start.addingTimeInterval(-60))
            crashed.status = .pending
            try await store.save(crashed)
            let note = InterruptedMessages.note(at: Self.start)
            #expect(try await store.markInterrupted(createdBefore: Self.cutoff, note: note) == 1)
            let stored = try #require(try await store.message(id: "crashed"))
            #expect(stored.attempts == crashed.attempts + [note])
            #expect(stored.attempts.last?.providerCode == "interrupted")
            #expect(stored.attempts.last?.outcome == .ambiguous)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRealOutcomeSavedLaterReplacesTheMark(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let slow = Self.pending("slow", createdAt: Self.start.addingTimeInterval(-60))
            try await store.save(slow)
            _ = try await store.markInterrupted(createdBefore: Self.cutoff, note: InterruptedMessages.note(at: Self.start))
            var outcome = Fixtures.record(id: "slow", createdAt: slow.createdAt)
            outcome.updatedAt = slow.createdAt.addingTimeInterval(9)
            try await store.save(outcome)
            #expect(try await store.message(id: "slow") == outcome)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func recentMessagesCanBeFilteredByStatus(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for index in 0..<4 {
                try await store.save(Self.pending("p\(index)", createdAt: Self.start.addingTimeInterval(Double(index - 100))))
            }
            try await store.save(Fixtures.record(id: "accepted", createdAt: Self.start.addingTimeInterval(-50)))
            try await store.save(Self.pending("other-number", createdAt: Self.start.addingTimeInterval(-99)).with(to: "+14155550100"))
            _ = try await store.markInterrupted(createdBefore: Self.start.addingTimeInterval(-98), note: InterruptedMessages.note(at: Self.start))

            #expect(try await store.recentMessages(to: nil, status: .interrupted, limit: 10).map(\.id) == ["other-number", "p1", "p0"])
            #expect(try await store.recentMessages(to: "+447700900123", status: .interrupted, limit: 10).map(\.id) == ["p1", "p0"])
            #expect(try await store.recentMessages(to: nil, status: .interrupted, limit: 1).map(\.id) == ["other-number"])
            #expect(try await store.recentMessages(to: nil, status: .pending, limit: 10).map(\.id) == ["p3", "p2"])
            #expect(try await store.recentMessages(to: nil, status: .accepted, limit: 10).map(\.id) == ["accepted"])
            #expect(try await store.recentMessages(to: nil, status: .failed, limit: 10).isEmpty)
            #expect(try await store.recentMessages(to: nil, status: nil, limit: 10).count == 6)
        }
    }

    @Test func sqliteFindsPendingAndInterruptedMessagesThroughTheirIndexes() async throws {
        try await StoreKind.sqliteFile.withSQLiteStore { store in
            let plans = try await store.read { database in
                let statements: [(String, [SQLiteValue])] = [
                    (MessageRecord.markInterruptedSQL, [.integer(0)]),
                    (MessageRecord.selectSQL(where: "status = 'interrupted'", limit: "10"), []),
                ]
                return try statements.map { sql, binds in
                    try database.query("EXPLAIN QUERY PLAN " + sql, binds).compactMap { $0.column("detail")?.textValue }
                }
            }
            #expect(plans[0].contains { $0.contains("messages_pending_by_created") }, "\(plans[0])")
            #expect(plans[1].contains { $0.contains("messages_interrupted_by_created") }, "\(plans[1])")
        }
    }
}

extension MessageRecord {
    fileprivate func with(to number: String) -> MessageRecord {
        var copy = self
        copy.to = number
        return copy
    }
}
