extension SQLiteStore {
    /// The settings the write connection runs with, as SQLite reports them.
    package struct Pragmas: Sendable, Hashable {
        /// `wal` for a file (`memory` for an in-memory database).
        package var journalMode: String
        /// 0 `OFF`, 1 `NORMAL`, 2 `FULL`, 3 `EXTRA`.
        package var synchronous: Int
        package var foreignKeys: Bool
        package var busyTimeoutMilliseconds: Int
        /// 0 `DEFAULT`, 1 `FILE`, 2 `MEMORY`: where statement journals and other temporary data go.
        package var tempStore: Int
    }

    /// Reads back the write connection's settings, for diagnostics and tests.
    package func pragmas() async throws -> Pragmas {
        try await writer.withConnection { database in
            func value(_ pragma: String) throws -> SQLiteValue {
                try database.first("PRAGMA \(pragma)")?.values.first ?? .null
            }
            return Pragmas(
                journalMode: try value("journal_mode").textValue ?? "",
                synchronous: try value("synchronous").integerValue ?? -1,
                foreignKeys: try value("foreign_keys").integerValue == 1,
                busyTimeoutMilliseconds: try value("busy_timeout").integerValue ?? -1,
                tempStore: try value("temp_store").integerValue ?? -1
            )
        }
    }
}
