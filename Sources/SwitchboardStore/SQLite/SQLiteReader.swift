/// The read connection: each read runs in autocommit mode, so it sees the newest committed
/// snapshot and never a batch that is still being written.
///
/// Like the writer it runs on a thread of its own and calls SQLite synchronously, one job per
/// read, however many statements the read runs. Reads run one at a time, in the order they came;
/// closing is queued behind them, so a read never finds the connection closed under it.
actor SQLiteReader {
    /// The thread the actor and its connection run on.
    nonisolated let executor: SQLiteThreadExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let database: SQLiteDatabase
    private var isClosed = false

    /// - Parameters:
    ///   - database: An open, configured connection, owned by the reader from now on.
    ///   - executor: The thread the reader runs on, and the connection is used from.
    init(database: sending SQLiteDatabase, executor: SQLiteThreadExecutor) {
        self.database = database
        self.executor = executor
    }

    /// Runs `body` on the read connection and returns what it returns.
    ///
    /// Like ``SQLiteWriter/perform(_:)``, a closure handed to the thread rather than an isolated
    /// call, so the caller resumes on its own executor without a hop through this thread.
    /// - Throws: ``SQLiteStoreError/closed``, or what `body` throws.
    nonisolated func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            executor.execute {
                self.assumeIsolated { reader in
                    continuation.resume(with: Result { try reader.run(body) })
                }
            }
        }
    }

    private func run<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        guard !isClosed else { throw SQLiteStoreError.closed }
        return try body(database)
    }

    /// Refuses new reads, after those already queued, and closes the connection. Closing twice is harmless.
    nonisolated func close() async throws {
        try await withCheckedThrowingContinuation { continuation in
            executor.execute {
                self.assumeIsolated { reader in
                    continuation.resume(with: Result { try reader.closeNow() })
                }
            }
        }
    }

    private func closeNow() throws {
        guard !isClosed else { return }
        isClosed = true
        try database.close()
    }
}
