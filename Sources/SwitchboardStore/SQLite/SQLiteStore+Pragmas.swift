import SQLiteNIO

extension SQLiteStore {
    /// The settings the write connection runs with, as SQLite reports them.
    package struct Pragmas: Sendable, Hashable {
        /// `wal` for a file (`memory` for an in-memory database).
        package var journalMode: String
        /// 0 `OFF`, 1 `NORMAL`, 2 `FULL`, 3 `EXTRA`.
        package var synchronous: Int
        package var foreignKeys: Bool
        package var busyTimeoutMilliseconds: Int
    }

    /// Reads back the write connection's settings, for diagnostics and tests.
    package func pragmas() async throws -> Pragmas {
        try await writer.withConnection { connection in
            func value(_ pragma: String) async throws -> SQLiteData {
                try await connection.query("PRAGMA \(pragma)").first?.columns.first?.data ?? .null
            }
            return Pragmas(
                journalMode: try await value("journal_mode").string ?? "",
                synchronous: try await value("synchronous").integer ?? -1,
                foreignKeys: try await value("foreign_keys").integer == 1,
                busyTimeoutMilliseconds: try await value("busy_timeout").integer ?? -1
            )
        }
    }
}
