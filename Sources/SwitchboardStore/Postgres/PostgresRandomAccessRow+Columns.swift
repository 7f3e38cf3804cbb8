import Foundation
import PostgresNIO

/// Typed reads of the columns the store writes; a value this build cannot read is a
/// ``PostgresStoreError/invalidColumn(table:column:value:)`` naming where it is.
extension PostgresRandomAccessRow {
    func text(_ column: String) throws -> String {
        try self[column].decode(String.self)
    }

    func optionalText(_ column: String) throws -> String? {
        try self[column].decode(String?.self)
    }

    /// A free text kept as UTF-8 in a `bytea` column.
    func utf8(_ column: String) throws -> String {
        String(decoding: try self[column].decode(Data.self), as: UTF8.self)
    }

    func optionalUTF8(_ column: String) throws -> String? {
        try self[column].decode(Data?.self).map { String(decoding: $0, as: UTF8.self) }
    }

    /// An `integer` or `bigint` column.
    func integer(_ column: String) throws -> Int64 {
        Int64(try self[column].decode(Int.self))
    }

    func isNull(_ column: String) -> Bool {
        self[column].bytes == nil
    }

    func boolean(_ column: String) throws -> Bool {
        try self[column].decode(Bool.self)
    }

    func bytes(_ column: String) throws -> [UInt8] {
        [UInt8](try self[column].decode(Data.self))
    }

    /// A date kept as microseconds since 1970.
    func date(_ column: String) throws -> Date {
        Date(microsecondsSince1970: try integer(column))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try self[column].decode(Int?.self).map { Date(microsecondsSince1970: Int64($0)) }
    }

    func value<T: RawRepresentable>(_ column: String, table: String, as type: T.Type) throws -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else {
            throw PostgresStoreError.invalidColumn(table: table, column: column, value: raw)
        }
        return value
    }
}

extension AsyncSequence where Element == PostgresRow {
    /// Every row, for reading columns by name: a query's, or a prepared statement's. Read where
    /// the caller runs (a statement's rows, on its connection's event loop).
    nonisolated(nonsending) func rows() async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in self {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }
}
