import Logging
import SwitchboardCore

extension SQLiteDatabase {
    /// Opens a connection of the store and sets its pragmas, closing it again if that fails.
    static func openForStore(
        path: String, writable: Bool, inMemory: Bool, durability: SQLiteSettings.Durability, logger: Logger
    ) throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path)
        do {
            try database.applyStorePragmas(writable: writable, inMemory: inMemory, durability: durability, logger: logger)
            return database
        } catch {
            try? database.close()
            throw error
        }
    }
}
