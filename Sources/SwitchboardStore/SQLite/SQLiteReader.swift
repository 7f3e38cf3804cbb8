import NIOCore
import SQLiteNIO

/// The read connection: queries run on it concurrently, each in autocommit mode, so each sees the
/// newest committed snapshot and never a batch that is still being written.
///
/// It counts the queries in flight so that closing waits for them: a query on a closed sqlite3
/// handle is undefined behaviour in release builds, where SQLite's API armour is off.
actor SQLiteReader {
    private let connection: SQLiteConnection
    private let ownsConnection: Bool
    private var inFlight = 0
    private var isClosed = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - connection: An open, configured connection.
    ///   - ownsConnection: Whether ``close()`` closes it; `false` when it is shared with the writer,
    ///     as for an in-memory database, which cannot have two connections.
    init(connection: SQLiteConnection, ownsConnection: Bool) {
        self.connection = connection
        self.ownsConnection = ownsConnection
    }

    /// The rows of one statement.
    /// - Throws: ``SQLiteStoreError/closed``, or the SQLite error.
    func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        guard !isClosed else { throw SQLiteStoreError.closed }
        inFlight += 1
        defer {
            inFlight -= 1
            if inFlight == 0 {
                for waiter in drainWaiters { waiter.resume() }
                drainWaiters.removeAll()
            }
        }
        return try await connection.query(sql, binds)
    }

    /// Refuses new queries, waits for those in flight, then closes the connection if it owns it.
    func close() async throws {
        guard !isClosed else { return }
        isClosed = true
        if inFlight > 0 {
            await withCheckedContinuation { drainWaiters.append($0) }
        }
        guard ownsConnection else { return }
        // The futures API is not cancellable, so the handle is released even if this task is cancelled.
        let closing: EventLoopFuture<Void> = connection.close()
        try await closing.get()
    }
}
