import Logging
import SwitchboardCore
import SwitchboardStore

/// Opens the configured store and brings its schema up to date.
enum StoreOpener {
    static func open(_ settings: StorageSettings, logger: Logger) async throws -> SQLiteStore {
        switch settings {
        case .sqlite(let path):
            do {
                let store = try await SQLiteStore.open(path: path, logger: logger)
                try await store.migrate()
                return store
            } catch {
                throw CommandFailure("cannot open the SQLite database at \(path): \(error)")
            }
        }
    }
}
