import Foundation
import PostgresNIO
import Synchronization
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// PostgreSQL ends a daemon's connections (a restart, a failover, an administrator, a firewall):
/// every statement still answers, those caught on an ended connection with an error, and the
/// store goes on with the connections the pool opens again. A statement written to a connection
/// as it closed used to be dropped unanswered, and wait forever.
@Suite("PostgreSQL connections lost", .timeLimit(.minutes(3)))
struct PostgresConnectionLossTests {
    @Test func everyStatementAnswersWhileConnectionsAreEnded() async throws {
        try await TestPostgres.withDatabase { settings in
            try await TestPostgres.withStores(1, on: settings) { stores in
                let store = stores[0]
                try await store.migrate()
                try await store.save(Fixtures.record(id: "msg_before"))
                var ended = 0
                var unanswered: [String] = []
                for round in 0..<30 {
                    ended += try await TestPostgres.endClientConnections(of: settings)
                    // Reads and writes on the pool, and saves through the store's writer, by turns.
                    for index in 0..<10 {
                        let name = "key-\(round)-\(index)"
                        let answer = await Self.answer(within: .seconds(10)) {
                            if index.isMultiple(of: 2) {
                                try await store.save(Fixtures.record(id: "msg_\(round)_\(index)"))
                            } else {
                                _ = try await store.secret(named: name, orInsert: [UInt8(index)])
                            }
                        }
                        if answer == nil { unanswered.append(name) }
                    }
                    // A writer stuck on a lost statement leaves every later save unanswered too.
                    if !unanswered.isEmpty { break }
                }
                #expect(ended >= 30)
                #expect(unanswered == [])
                #expect(try await store.secret(named: "after", orInsert: [7]) == [7])
                try await store.save(Fixtures.record(id: "msg_after"))
                #expect(try await store.message(id: "msg_after")?.id == "msg_after")
                #expect(try await store.message(id: "msg_before")?.id == "msg_before")
            }
        }
    }

    /// Whether `operation` answered (with a value or an error) within `limit`. A statement lost
    /// with its connection never returns, and no task group could wait for it: the test must fail
    /// instead of hanging, so the operation runs in a task of its own, left behind if it hangs.
    private static func answer<T: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error>? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>?, Never>) in
            let resumed = Mutex(false)
            let resume: @Sendable (Result<T, any Error>?) -> Void = { answer in
                if resumed.withLock({ was in defer { was = true }; return !was }) { continuation.resume(returning: answer) }
            }
            Task {
                do { resume(.success(try await operation())) } catch { resume(.failure(error)) }
            }
            Task {
                try? await Task.sleep(for: limit)
                resume(nil)
            }
        }
    }
}
