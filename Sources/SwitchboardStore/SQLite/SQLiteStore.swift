import Foundation
package import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import SwitchboardCore

/// The message log and inbox in one SQLite file, the embedded default store.
///
/// Writes go through one ``SQLiteWriter`` that commits concurrent writes in shared transactions
/// (group commit); reads use a second connection and see only committed data. The file is in WAL
/// mode, so other processes may read it while the daemon writes.
///
/// Open it with ``open(path:logger:maxBatchSize:)``, call ``migrate()`` before use, and close it
/// with ``close()``, or run it as a `Service`, which closes it at graceful shutdown.
package struct SQLiteStore: MessageStore, InboxStore {
    let writer: SQLiteWriter
    let reader: SQLiteReader
    let logger: Logger

    /// Opens (creating if needed) the database at `path`, and the folder it is in.
    ///
    /// The schema is not touched: call ``migrate()`` next.
    /// - Parameters:
    ///   - path: The database file, or `:memory:` for a private in-memory database (whose reads
    ///     share the write connection, so they may see a batch before it commits).
    ///   - logger: The store's logger; the store logs at `info` and below.
    ///   - maxBatchSize: The most writes one transaction holds.
    /// - Returns: The open store.
    /// - Throws: When the folder cannot be created or SQLite cannot open or configure the file.
    package static func open(path: String, logger: Logger, maxBatchSize: Int = 512) async throws -> SQLiteStore {
        let threadPool = NIOThreadPool.singleton
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let inMemory = path == ":memory:"
        if !inMemory {
            // Blocking file-system calls, so they run on the thread pool like SQLite's own.
            try await threadPool.runIfActive {
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
        }
        let storage: SQLiteConnection.Storage = inMemory ? .memory : .file(path: path)

        func connect(writable: Bool) async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(
                storage: storage,
                threadPool: threadPool,
                logger: logger,
                on: eventLoop
            )
            do {
                try await connection.applyStorePragmas(writable: writable, inMemory: inMemory, logger: logger)
                return connection
            } catch {
                let closing: EventLoopFuture<Void> = connection.close()
                try? await closing.get()
                throw error
            }
        }

        let writeConnection = try await connect(writable: true)
        let readConnection: SQLiteConnection
        if inMemory {
            readConnection = writeConnection
        } else {
            do {
                readConnection = try await connect(writable: false)
            } catch {
                let closing: EventLoopFuture<Void> = writeConnection.close()
                try? await closing.get()
                throw error
            }
        }
        return SQLiteStore(
            writer: SQLiteWriter(connection: writeConnection, maxBatchSize: maxBatchSize, logger: logger),
            reader: SQLiteReader(connection: readConnection, ownsConnection: !inMemory),
            logger: logger
        )
    }

    /// Applies the schema migrations this build knows and the file has not had yet.
    ///
    /// Idempotent; the server calls it before serving.
    /// - Throws: ``SQLiteStoreError/schemaTooNew(found:known:)`` for a file a newer build migrated,
    ///   or the error of the migration that failed (rolled back, earlier ones stay applied).
    package func migrate() async throws {
        let logger = self.logger
        try await writer.withConnection { try await SQLiteMigrator.migrate($0, logger: logger) }
    }

    /// The version of the newest migration applied to the file, 0 before ``migrate()``.
    package func schemaVersion() async throws -> Int {
        try await writer.withConnection { try await SQLiteMigrator.version($0) }
    }

    /// Finishes the queued writes and closes both connections. Closing twice is harmless.
    package func close() async throws {
        // Readers first: for an in-memory database they share the connection the writer closes.
        var failure: (any Error)?
        do { try await reader.close() } catch { failure = error }
        do { try await writer.close() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    /// Runs one statement alone on the write connection, outside any batch.
    ///
    /// Internal, for tests that install faults such as a trigger that rejects certain rows.
    func executeUnbatched(_ sql: String) async throws {
        _ = try await writer.withConnection { try await $0.query(sql) }
    }

    /// How many write transactions this store has begun: far fewer than writes when they are batched.
    package var flushCount: Int {
        get async { await writer.flushCount }
    }
}
