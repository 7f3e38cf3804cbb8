import Foundation
package import Logging
package import SwitchboardCore

/// The message log and inbox in one SQLite file, the embedded default store.
///
/// Writes go through one ``SQLiteWriter`` that commits concurrent writes in shared transactions
/// (group commit); reads use a second connection (``SQLiteReader``) and see only committed data.
/// Each connection has a thread of its own and is called synchronously there. The file is in WAL
/// mode, so other processes may read it while the daemon writes.
///
/// Open it with ``open(path:logger:maxBatchSize:)``, call ``migrate()`` before use, and close it
/// with ``close()``, or run it as a `Service`, which closes it at graceful shutdown.
package struct SQLiteStore: Sendable {
    let writer: SQLiteWriter
    /// `nil` for an in-memory database, which cannot have a second connection: reads then run on
    /// the writer's connection, as jobs of the writer (one `sqlite3` handle must never be used from
    /// two threads at once), between its batches.
    let reader: SQLiteReader?
    let logger: Logger

    /// Opens (creating if needed) the database at `path`, and the folder it is in: a new folder
    /// gets mode 0700, a new database file 0600 (see ``SQLiteFiles/create(path:)``).
    ///
    /// The schema is not touched: call ``migrate()`` next.
    /// - Parameters:
    ///   - path: The database file, or `:memory:` for a private in-memory database (whose reads
    ///     share the write connection).
    ///   - logger: The store's logger; the store logs at `info` and below.
    ///   - maxBatchSize: The most writes one transaction holds.
    ///   - commits: Hears of each committed write transaction (metrics).
    ///   - durability: What a commit survives (`storage.sqlite.durability`).
    ///   - gathering: When a small batch of writes first waits for more (``CommitGathering``).
    /// - Returns: The open store.
    /// - Throws: When the folder cannot be created or SQLite cannot open or configure the file.
    package static func open(
        path: String, logger: Logger, maxBatchSize: Int = 512, commits: (any StoreCommitObserver)? = nil,
        durability: SQLiteSettings.Durability = .powerLoss, gathering: CommitGathering = .default
    ) async throws -> SQLiteStore {
        let inMemory = path == ":memory:"
        let writeThread = SQLiteThreadExecutor(name: "sqlite-writer")
        // Opened on the thread that will use it: opening blocks on the file system.
        let writeDatabase = try await writeThread.run {
            if !inMemory {
                try SQLiteFiles.create(path: path)
            }
            return try SQLiteDatabase.openForStore(path: path, writable: true, inMemory: inMemory, durability: durability, logger: logger)
        }
        let writer = SQLiteWriter(
            database: writeDatabase, executor: writeThread, maxBatchSize: maxBatchSize, gathering: gathering, logger: logger, commits: commits
        )
        guard !inMemory else { return SQLiteStore(writer: writer, reader: nil, logger: logger) }
        do {
            let readThread = SQLiteThreadExecutor(name: "sqlite-reader")
            let readDatabase = try await readThread.run {
                try SQLiteDatabase.openForStore(path: path, writable: false, inMemory: false, durability: durability, logger: logger)
            }
            let reader = SQLiteReader(database: readDatabase, executor: readThread)
            return SQLiteStore(writer: writer, reader: reader, logger: logger)
        } catch {
            try? await writer.close()
            throw error
        }
    }

    /// Applies the schema migrations this build knows and the file has not had yet.
    ///
    /// Idempotent; the server calls it before serving.
    /// - Throws: ``SQLiteStoreError/schemaTooNew(found:known:)`` for a file a newer build migrated,
    ///   or the error of the migration that failed (rolled back, earlier ones stay applied).
    package func migrate() async throws {
        let logger = self.logger
        try await writer.withConnection { try SQLiteMigrator.migrate($0, logger: logger) }
    }

    /// The version of the newest migration applied to the file, 0 before ``migrate()``.
    package func schemaVersion() async throws -> Int {
        try await writer.withConnection { try SQLiteMigrator.version($0) }
    }

    /// Finishes the queued writes and closes both connections. Closing twice is harmless.
    package func close() async throws {
        var failure: (any Error)?
        do { try await reader?.close() } catch { failure = error }
        do { try await writer.close() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    /// Runs `body` on the read connection (the write connection for an in-memory database), as one job.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        if let reader {
            try await reader.read(body)
        } else {
            try await writer.withConnection(body)
        }
    }

    /// Runs one statement alone on the write connection, outside any batch.
    ///
    /// Internal, for tests that install faults such as a trigger that rejects certain rows.
    func executeUnbatched(_ sql: String) async throws {
        try await writer.withConnection { try $0.execute(sql) }
    }

    /// How many write transactions this store has begun: far fewer than writes when they are batched.
    package var flushCount: Int {
        get async { writer.flushCount }
    }
}
