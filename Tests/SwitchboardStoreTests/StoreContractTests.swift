import Foundation
import SwitchboardCore
import Testing

/// What every `MessageStore & InboxStore` must do, checked once and run against each store.
@Suite("Store contract")
struct StoreContractTests {
    typealias Store = any MessageStore & InboxStore

    // MARK: Messages

    @Test(arguments: StoreKind.allCases)
    func savedRecordComesBackWithEveryField(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let record = Fixtures.record()
            try await store.save(record)
            #expect(try await store.message(id: record.id) == record)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyAttemptOutcomeComesBack(kind: StoreKind) async throws {
        // The failover engine records providers it skipped (open breaker, Retry-After) as attempts
        // with outcome `skipped`; the store must keep every outcome, in order.
        try await kind.withStore { store in
            let outcomes: [AttemptOutcome] = [.skipped, .retryable, .ambiguous, .permanent, .accepted]
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            var record = Fixtures.record(
                attempts: outcomes.enumerated().map { index, outcome in
                    DeliveryAttempt(
                        provider: "p\(index)", outcome: outcome, providerCode: outcome == .skipped ? "breaker_open" : nil,
                        providerMessage: outcome == .skipped ? "circuit breaker open; next probe in 12s" : nil,
                        latencyMicroseconds: Int64(index), startedAt: start
                    )
                }
            )
            record.status = .failed
            try await store.save(record)
            let stored = try await store.message(id: record.id)
            #expect(stored == record)
            #expect(stored?.attempts.map(\.outcome) == outcomes)
            #expect(stored?.attempts.first?.providerCode == "breaker_open")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func absentOptionalFieldsComeBackAbsent(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var record = Fixtures.record(attempts: [])
            record.provider = nil
            record.providerMessageID = nil
            record.status = .pending
            record.kind = .transactional
            record.encoding = .ucs2
            try await store.save(record)
            #expect(try await store.message(id: record.id) == record)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func textComesBackWhole(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var record = Fixtures.record()
            record.loggedText = "Ünïcødé ✅ 👋🏽 ﷽\nsecond line\u{0}after a NUL"
            record.attempts[0].providerMessage = "bad\u{0}gateway ❌"
            try await store.save(record)
            #expect(try await store.message(id: record.id) == record)

            let delivered = try await store.deliver(Fixtures.inbox(text: "code\u{0}1234 — ✅"))
            #expect(try await store.inbox(to: nil, after: nil, limit: 10) == [delivered])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func datesAreKeptToTheMicrosecond(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let precise = Date(timeIntervalSinceReferenceDate: 800_000_000.123_456_7)
            let record = Fixtures.record(createdAt: precise)
            try await store.save(record)
            let loaded = try #require(try await store.message(id: record.id))
            #expect(abs(loaded.createdAt.timeIntervalSince(precise)) <= 0.000_000_5)
            #expect(loaded.createdAt == Fixtures.instant(800_000_000, micros: 123_457))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func savingAgainReplacesTheRecordAndItsAttempts(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let first = Fixtures.record()
            try await store.save(first)

            var second = first
            second.status = .failed
            second.provider = "sfmc"
            second.updatedAt = first.updatedAt.addingTimeInterval(10)
            second.attempts = [
                DeliveryAttempt(
                    provider: "sfmc",
                    outcome: .permanent,
                    providerCode: "21211",
                    providerMessage: "Invalid 'To'",
                    latencyMicroseconds: 5,
                    startedAt: Fixtures.instant(800_000_100)
                )
            ]
            try await store.save(second)
            #expect(try await store.message(id: first.id) == second)
            #expect(try await store.recentMessages(to: nil, limit: 10) == [second])

            var third = second
            third.attempts = first.attempts + first.attempts
            try await store.save(third)
            #expect(try await store.message(id: first.id)?.attempts == third.attempts)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unknownIDIsNil(kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.message(id: "nope") == nil)
            try await store.save(Fixtures.record(id: "yes"))
            #expect(try await store.message(id: "nope") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func recentMessagesAreNewestFirstAndFiltered(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let uk = "+447700900123"
            let us = "+14155550100"
            // Saved out of order, so the order read back can only come from the creation time.
            let records = [
                Fixtures.record(id: "c", to: uk, createdAt: Fixtures.instant(800_000_030)),
                Fixtures.record(id: "a", to: uk, createdAt: Fixtures.instant(800_000_010)),
                Fixtures.record(id: "e", to: us, createdAt: Fixtures.instant(800_000_050)),
                Fixtures.record(id: "b", to: us, createdAt: Fixtures.instant(800_000_020, micros: 1)),
                Fixtures.record(id: "d", to: uk, createdAt: Fixtures.instant(800_000_040)),
            ]
            for record in records { try await store.save(record) }

            let all = try await store.recentMessages(to: nil, limit: 10)
            #expect(all.map(\.id) == ["e", "d", "c", "b", "a"])
            #expect(all.first == records[2])
            #expect(try await store.recentMessages(to: uk, limit: 10).map(\.id) == ["d", "c", "a"])
            #expect(try await store.recentMessages(to: us, limit: 10).map(\.id) == ["e", "b"])
            #expect(try await store.recentMessages(to: "+33612345678", limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func recentMessagesHonourTheLimit(kind: StoreKind) async throws {
        try await kind.withStore { store in
            for second in Int64(0)..<5 {
                try await store.save(Fixtures.record(id: "m\(second)", createdAt: Fixtures.instant(800_000_000 + second)))
            }
            #expect(try await store.recentMessages(to: nil, limit: 2).map(\.id) == ["m4", "m3"])
            #expect(try await store.recentMessages(to: "+447700900123", limit: 3).map(\.id) == ["m4", "m3", "m2"])
            #expect(try await store.recentMessages(to: nil, limit: 0).isEmpty)
            #expect(try await store.recentMessages(to: nil, limit: Int.max).count == 5)
        }
    }

    // MARK: Inbox

    @Test(arguments: StoreKind.allCases)
    func inboxSequencesIncrease(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var sent = Fixtures.inbox()
            sent.sequence = 999  // the store assigns sequences; a caller's value is ignored
            var delivered: [InboxMessage] = []
            for _ in 0..<3 { delivered.append(try await store.deliver(sent)) }

            let sequences = delivered.map(\.sequence)
            #expect(sequences.allSatisfy { $0 > 0 })
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 })
            var expected = sent
            expected.sequence = delivered[0].sequence
            #expect(delivered[0] == expected)
            #expect(try await store.inbox(to: nil, after: nil, limit: 10) == delivered)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func inboxReadsAfterACursorFilteredAndLimited(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let uk = "+447700900123"
            let fr = "+33612345678"
            var delivered: [InboxMessage] = []
            for (index, number) in [uk, fr, uk, uk, fr, uk].enumerated() {
                delivered.append(try await store.deliver(Fixtures.inbox(to: number, text: "message \(index)")))
            }
            let toUK = delivered.filter { $0.to == uk }

            #expect(try await store.inbox(to: nil, after: delivered[1].sequence, limit: 10) == Array(delivered[2...]))
            #expect(try await store.inbox(to: nil, after: delivered[5].sequence, limit: 10).isEmpty)
            #expect(try await store.inbox(to: nil, after: 0, limit: 10) == delivered)
            #expect(try await store.inbox(to: uk, after: nil, limit: 10) == toUK)
            #expect(try await store.inbox(to: fr, after: delivered[1].sequence, limit: 10) == [delivered[4]])
            #expect(try await store.inbox(to: "+14155550100", after: nil, limit: 10).isEmpty)
            #expect(try await store.inbox(to: nil, after: nil, limit: 2) == Array(delivered[0..<2]))
            #expect(try await store.inbox(to: uk, after: delivered[0].sequence, limit: 2) == [delivered[2], delivered[3]])
            #expect(try await store.inbox(to: nil, after: nil, limit: 0).isEmpty)
            #expect(try await store.inbox(to: nil, after: nil, limit: Int.max) == delivered)

            #expect(try await store.latestInbox(to: nil, limit: 2) == Array(delivered[4...]))
            #expect(try await store.latestInbox(to: uk, limit: 3) == Array(toUK.suffix(3)))
            #expect(try await store.latestInbox(to: fr, limit: 10) == [delivered[1], delivered[4]])
            #expect(try await store.latestInbox(to: nil, limit: 100) == delivered)
            #expect(try await store.latestInbox(to: nil, limit: 0).isEmpty)
        }
    }

    // MARK: Concurrency

    @Test(arguments: StoreKind.allCases)
    func concurrentSavesAreAllKept(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let records = (0..<500).map { index in
                Fixtures.record(id: "c\(index)", createdAt: Fixtures.instant(800_000_000 + Int64(index)))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for record in records {
                    group.addTask { try await store.save(record) }
                }
                try await group.waitForAll()
            }
            for record in records {
                #expect(try await store.message(id: record.id) == record)
            }
            #expect(try await store.recentMessages(to: nil, limit: 1_000) == records.reversed())
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentDeliveriesGetDistinctSequences(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let delivered = try await withThrowingTaskGroup(of: InboxMessage.self) { group in
                for index in 0..<500 {
                    group.addTask { try await store.deliver(Fixtures.inbox(text: "message \(index)")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(delivered.map(\.sequence)).count == 500)
            let inbox = try await store.inbox(to: nil, after: nil, limit: 1_000)
            #expect(inbox == delivered.sorted { $0.sequence < $1.sequence })
        }
    }
}
