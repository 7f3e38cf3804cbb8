/// A failure reported by SQLite itself: its (extended) result code and message.
///
/// Distinct from ``SQLiteStoreError``, which is about the store: a write that fails alone (a
/// constraint, a trigger) throws this, a whole transaction that fails throws
/// ``SQLiteStoreError/batchFailed(underlying:)`` wrapping this.
package struct SQLiteError: Error, Hashable, CustomStringConvertible {
    /// The extended result code, such as 2067 (`SQLITE_CONSTRAINT_UNIQUE`); ``primaryCode`` is its low byte.
    package let code: Int32
    /// SQLite's message, such as `UNIQUE constraint failed: users.email`.
    package let message: String

    /// The primary result code, such as 19 (`SQLITE_CONSTRAINT`).
    package var primaryCode: Int32 { code & 0xFF }

    package var description: String { "SQLite error \(code): \(message)" }
}
