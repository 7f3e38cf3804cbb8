import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// A save that wins replaces the stored attempts whole, however many each side has; one that loses
/// leaves them. PostgreSQL saves a message in one statement, which these pin down.
@Suite("A message's attempts on a save")
struct AttemptReplacementTests {
    @Test(arguments: StoreKind.allCases)
    func aNewerSaveWithoutAttemptsLeavesNone(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let first = Fixtures.record()
            try #require(!first.attempts.isEmpty)
            try await store.save(first)
            var second = first
            second.attempts = []
            second.updatedAt = first.updatedAt.addingTimeInterval(1)
            try await store.save(second)
            let stored = try await store.message(id: first.id)
            #expect(stored == second)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNewerSaveWithMoreAttemptsKeepsEachInOrder(kind: StoreKind) async throws {
        try await kind.withStore { store in
            var first = Fixtures.record()
            first.attempts = Array(first.attempts.prefix(1))
            try await store.save(first)
            var second = first
            let started = Fixtures.instant(800_000_200)
            second.attempts = [
                DeliveryAttempt(provider: "p0", outcome: .retryable, latencyMicroseconds: 0, startedAt: started),
                DeliveryAttempt(
                    provider: "p1", outcome: .retryable, providerCode: "c1", providerMessage: "line\u{0}break", latencyMicroseconds: 10,
                    startedAt: started.addingTimeInterval(1)
                ),
                DeliveryAttempt(provider: "p2", outcome: .ambiguous, providerCode: "c2", latencyMicroseconds: 20, startedAt: started.addingTimeInterval(2)),
                DeliveryAttempt(provider: "p3", outcome: .accepted, providerMessageID: "id-3", latencyMicroseconds: 30, startedAt: started.addingTimeInterval(3)),
            ]
            second.updatedAt = first.updatedAt.addingTimeInterval(1)
            try await store.save(second)
            let stored = try await store.message(id: first.id)
            #expect(stored == second)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anOlderSaveWithFewerAttemptsLeavesThemAll(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let first = Fixtures.record()
            try await store.save(first)
            var older = first
            older.attempts = []
            older.status = .failed
            older.updatedAt = first.updatedAt.addingTimeInterval(-1)
            try await store.save(older)
            let stored = try await store.message(id: first.id)
            #expect(stored == first)
        }
    }
}
