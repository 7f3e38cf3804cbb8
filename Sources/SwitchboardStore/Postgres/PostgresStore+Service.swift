import PostgresNIO
package import ServiceLifecycle

/// The store's two long-running parts: the connection pool (`PostgresClient`, a service of its
/// own) and the writer of message saves. The writer must stop first, once it has written what was
/// queued, while the pool still runs: in a service group they are two services in that order.
extension PostgresStore: Service, DurableStore {
    /// The pool, then the store (whose ``run()`` is the writer): a service group stops them in
    /// reverse order, so the saves queued at graceful shutdown are written before the pool stops.
    package var services: [any Service] { [pool, self] }

    /// Writes message saves until graceful shutdown or ``close()``, then those queued, and returns.
    /// The pool must be running (see ``services``).
    package func run() async {
        await withGracefulShutdownHandler {
            await saves.run()
        } onGracefulShutdown: {
            saves.close()
        }
    }

    /// Runs `stores` (their pools and writers) while `body` uses them, then closes them: each
    /// writes its queued saves before its pool stops. For a command that opens a store for a few
    /// queries, and for tests; the daemon runs ``services`` in its service group instead.
    package static func withRunning<T>(_ stores: [PostgresStore], _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { pools in
            for store in stores { pools.addTask { await store.pool.run() } }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await withRunningWriters(stores, body))
            } catch {
                outcome = .failure(error)
            }
            pools.cancelAll()
            return try outcome.get()
        }
    }

    /// Runs the writers while `body` runs, then closes them and waits for them to write what was queued.
    private static func withRunningWriters<T>(_ stores: [PostgresStore], _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { writers in
            for store in stores { writers.addTask { await store.saves.run() } }
            let outcome: Result<T, any Error>
            do {
                outcome = .success(try await body())
            } catch {
                outcome = .failure(error)
            }
            for store in stores { store.saves.close() }
            try await writers.waitForAll()
            return try outcome.get()
        }
    }
}
