/// Why the SQLite store refused or failed an operation.
package enum SQLiteStoreError: Error, CustomStringConvertible {
    /// The store was closed; open a new one.
    case closed
    /// A column held a value this version cannot read: the file was edited by hand or is corrupt.
    case invalidColumn(table: String, column: String, value: String)
    /// The shared transaction holding this write could not start or commit, so none of its writes happened.
    case batchFailed(underlying: any Error)
    /// The file was migrated by a newer Switchboard; running older code on it could damage it.
    case schemaTooNew(found: Int, known: Int)
    /// The database file or its folder could not be created.
    case cannotCreate(path: String, reason: String)

    package var description: String {
        switch self {
        case .closed:
            "the store is closed"
        case .invalidColumn(let table, let column, let value):
            "unreadable value \(value) in \(table).\(column)"
        case .batchFailed(let underlying):
            "the write transaction failed, nothing in it was saved: \(underlying)"
        case .schemaTooNew(let found, let known):
            "the database schema is at version \(found) but this build knows only up to \(known)"
        case .cannotCreate(let path, let reason):
            "cannot create \(path): \(reason)"
        }
    }
}
