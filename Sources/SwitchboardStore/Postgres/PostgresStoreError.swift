/// Why the PostgreSQL store refused or failed an operation.
package enum PostgresStoreError: Error, CustomStringConvertible {
    /// A column held a value this version cannot read: the row was edited by hand.
    case invalidColumn(table: String, column: String, value: String)
    /// The database was migrated by a newer Switchboard; running older code on it could damage it.
    case schemaTooNew(found: Int, known: Int)
    /// The store was closed before this write was queued.
    case closed

    package var description: String {
        switch self {
        case .invalidColumn(let table, let column, let value):
            "unreadable value \(value) in \(table).\(column)"
        case .schemaTooNew(let found, let known):
            "the database schema is at version \(found) but this build knows only up to \(known)"
        case .closed:
            "the PostgreSQL store is closed"
        }
    }
}
