import Foundation

/// Typed reads of the store's columns, failing with ``SQLiteStoreError/invalidColumn(table:column:value:)``.
extension SQLiteRow {
    /// The text in `column`, throwing when it is missing or `NULL`.
    ///
    /// A blob is read as UTF-8, so a text column holding bytes written by another tool still reads.
    func text(_ column: String, table: String) throws -> String {
        switch self.column(column) {
        case .text(let value):
            return value
        case .blob(let bytes):
            return String(decoding: bytes, as: UTF8.self)
        default:
            throw SQLiteStoreError.invalidColumn(table: table, column: column, value: describe(column))
        }
    }

    /// The text in `column`, or `nil` for `NULL`.
    func optionalText(_ column: String, table: String) throws -> String? {
        if case .null? = self.column(column) { return nil }
        return try text(column, table: table)
    }

    /// The integer in `column`, throwing when it is missing or not an integer.
    func integer(_ column: String, table: String) throws -> Int64 {
        guard case .integer(let value) = self.column(column) else {
            throw SQLiteStoreError.invalidColumn(table: table, column: column, value: describe(column))
        }
        return Int64(value)
    }

    /// `true` when `column` is `NULL` (or missing), as it is for the attempt columns of a message without attempts.
    func isNull(_ column: String) -> Bool {
        self.column(column)?.isNull ?? true
    }

    /// The bytes in the blob `column`.
    func bytes(_ column: String, table: String) throws -> [UInt8] {
        guard case .blob(let bytes) = self.column(column) else {
            throw SQLiteStoreError.invalidColumn(table: table, column: column, value: "not a blob")
        }
        return bytes
    }

    func date(_ column: String, table: String) throws -> Date {
        Date(microsecondsSince1970: try integer(column, table: table))
    }

    func optionalDate(_ column: String, table: String) throws -> Date? {
        isNull(column) ? nil : try date(column, table: table)
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

extension SQLiteValue {
    static func optionalDate(_ value: Date?) -> SQLiteValue {
        value.map { .integer(Int($0.microsecondsSince1970)) } ?? .null
    }
}
