import Logging
import SwitchboardCore
import SwitchboardStore

/// Opens the configured store and brings its schema up to date.
enum StoreOpener {
    /// The store for the daemon, which runs its ``DurableStore/services`` in its service group.
    /// - Parameters:
    ///   - commits: Hears of each committed write transaction (metrics): every one of the SQLite
    ///     store's; the PostgreSQL store's batches of message saves.
    ///   - reachability: Hears when the PostgreSQL store's database is found out of reach and back,
    ///     when one of its connections leads nowhere, and how far its server's clock is from this
    ///     daemon's.
    static func open(
        _ settings: StorageSettings, logger: Logger, commits: (any StoreCommitObserver)? = nil, reachability: (any StoreReachabilityObserver)? = nil
    ) async throws -> any DurableStore {
        switch settings {
        case .sqlite(let sqlite):
            return try await openSQLite(sqlite, logger: logger, commits: commits)
        case .postgres(let postgres):
            let store = try openPostgres(postgres, logger: logger, commits: commits, reachability: reachability)
            try await migrate(store, postgres)
            return store
        }
    }

    /// Calls `body` with the store, running, for a command's few queries; closes it after.
    static func withStore<T>(_ settings: StorageSettings, logger: Logger, _ body: (any DurableStore) async throws -> T) async throws -> T {
        switch settings {
        case .sqlite(let sqlite):
            let store = try await openSQLite(sqlite, logger: logger, commits: nil)
            let outcome = await Result(catching: { try await body(store) })
            try await store.close()
            return try outcome.get()
        case .postgres(let postgres):
            // The store opens its whole pool at once; a command's few queries need two at most.
            var command = postgres
            command.pool = min(postgres.pool, 2)
            let store = try openPostgres(command, logger: logger, commits: nil, reachability: nil)
            try await migrate(store, command)
            return try await PostgresStore.withRunning([store]) { try await body(store) }
        }
    }

    private static func openSQLite(_ sqlite: SQLiteSettings, logger: Logger, commits: (any StoreCommitObserver)?) async throws -> SQLiteStore {
        do {
            let store = try await SQLiteStore.open(path: sqlite.path, logger: logger, commits: commits, durability: sqlite.durability)
            try await store.migrate()
            return store
        } catch {
            throw CommandFailure("cannot open the SQLite database at \(sqlite.path): \(error)")
        }
    }

    private static func openPostgres(
        _ postgres: PostgresSettings, logger: Logger, commits: (any StoreCommitObserver)?, reachability: (any StoreReachabilityObserver)?
    ) throws -> PostgresStore {
        do {
            return try PostgresStore.open(postgres, logger: logger, commits: commits, reachability: reachability)
        } catch {
            throw CommandFailure("cannot open the PostgreSQL database \(postgres): \(error)")
        }
    }

    private static func migrate(_ store: PostgresStore, _ postgres: PostgresSettings) async throws {
        do {
            try await store.migrate()
        } catch {
            // `postgres` prints without its password; the error is PostgresNIO's full account.
            let socket = postgres.unixSocketPath.map { " through the socket \($0)" } ?? ""
            throw CommandFailure("cannot open the PostgreSQL database \(postgres)\(socket): \(String(reflecting: error))")
        }
    }
}
