import Logging
import SwitchboardCore
import SwitchboardStore

/// Opens the configured store and brings its schema up to date.
enum StoreOpener {
    /// - Parameter commits: Hears of each committed write transaction (metrics): every one of the
    ///   SQLite store's; the PostgreSQL store's batches of message saves.
    static func open(_ settings: StorageSettings, logger: Logger, commits: (any StoreCommitObserver)? = nil) async throws -> any DurableStore {
        switch settings {
        case .sqlite(let path):
            do {
                let store = try await SQLiteStore.open(path: path, logger: logger, commits: commits)
                try await store.migrate()
                return store
            } catch {
                throw CommandFailure("cannot open the SQLite database at \(path): \(error)")
            }
        case .postgres(let postgres):
            let store = PostgresStore.open(postgres, logger: logger, commits: commits)
            do {
                try await store.migrate()
                return store
            } catch {
                try? await store.close()
                // `postgres` prints without its password; the error is PostgresNIO's full account.
                throw CommandFailure("cannot open the PostgreSQL database \(postgres): \(String(reflecting: error))")
            }
        }
    }
}
