import NIOCore
import SQLiteNIO

extension SQLiteRow {
    /// The text in `column`, throwing when it is missing or `NULL`.
    ///
    /// A blob is read as UTF-8: queries cast free-text columns to blobs to get them whole.
    func text(_ column: String, table: String) throws -> String {
        switch self.column(column) {
        case .text(let value):
            return value
        case .blob(let bytes):
            return String(decoding: bytes.readableBytesView, as: UTF8.self)
        default:
            throw SQLiteStoreError.invalidColumn(table: table, column: column, value: describe(column))
        }
    }

    /// The text in `column`, or `nil` for `NULL`.
    func optionalText(_ column: String, table: String) throws -> String? {
        if case .null = self.column(column) { return nil }
        return try text(column, table: table)
    }

    /// The integer in `column`, throwing when it is missing or not an integer.
    func integer(_ column: String, table: String) throws -> Int64 {
        guard case .integer(let value) = self.column(column) else {
            throw SQLiteStoreError.invalidColumn(table: table, column: column, value: describe(column))
        }
        return Int64(value)
    }

    /// `true` when `column` is `NULL`, as it is for the attempt columns of a message without attempts.
    func isNull(_ column: String) -> Bool {
        self.column(column)?.isNull ?? true
    }

    /// The text form of `column` in a raw-value enum such as `SMSEncoding`.
    func value<Value: RawRepresentable<String>>(_ column: String, table: String, as _: Value.Type) throws -> Value {
        let raw = try text(column, table: table)
        guard let value = Value(rawValue: raw) else {
            throw SQLiteStoreError.invalidColumn(table: table, column: column, value: raw)
        }
        return value
    }

    private func describe(_ column: String) -> String {
        self.column(column)?.description ?? "missing"
    }
}
