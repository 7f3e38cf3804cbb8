import Foundation
import Synchronization
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// The SQLite store tells its observer (the daemon's store metrics) of every commit: how many
/// writes it carried and how long it took.
@Suite("SQLite commit observer", .timeLimit(.minutes(3)))
struct SQLiteCommitObserverTests {
    final class Commits: StoreCommitObserver {
        let heard = Mutex<[(writes: Int, duration: Duration)]>([])
        func committed(writes: Int, duration: Duration) { heard.withLock { $0.append((writes, duration)) } }
    }

    @Test("every committed write is counted once, in as many commits as the writer made")
    func commitsAreObserved() async throws {
        try await withTemporaryDirectory { folder in
            let commits = Commits()
            let store = try await SQLiteStore.open(path: folder + "/observed.sqlite", logger: .quiet, commits: commits)
            try await closing(store) { store throws in
                try await store.migrate()
                let migrationCommits = commits.heard.withLock { $0.count }
                let before = await store.flushCount
                let records = (0..<200).map { Fixtures.record(id: "o\($0)", createdAt: Fixtures.instant(800_000_000 + Int64($0))) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for record in records { group.addTask { try await store.save(record) } }
                    try await group.waitForAll()
                }
                let transactions = await store.flushCount - before
                let heard = commits.heard.withLock { Array($0.dropFirst(migrationCommits)) }
                #expect(heard.map(\.writes).reduce(0, +) == records.count)
                #expect(heard.count == transactions)
                #expect(heard.allSatisfy { $0.writes >= 1 && $0.duration >= .zero })
            }
        }
    }
}
