/// One result row: the values in column order, and the statement's column names to find them by.
struct SQLiteRow: Sendable, Hashable {
    /// Shared by every row of a statement, so a row costs one array of its own.
    let columnNames: [String]
    let values: [SQLiteValue]

    /// The value of the first column named `name`, or `nil` when there is no such column.
    func column(_ name: String) -> SQLiteValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }
}
