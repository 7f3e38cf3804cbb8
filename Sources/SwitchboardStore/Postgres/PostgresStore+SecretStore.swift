import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore: SecretStore {
    /// Inserts `candidate` unless the secret exists, then reads what is stored. Two statements,
    /// each committed on its own: a daemon whose insert met another's waits for that commit, and its
    /// read (a new snapshot) then sees the other's value. Every daemon gets the one secret.
    package func secret(named name: String, orInsert candidate: [UInt8]) async throws -> [UInt8] {
        try await pool.run(
            """
            INSERT INTO secrets (name, value, created_at_us) VALUES (\(name), \(Data(candidate)), \(Date().microsecondsSince1970))
            ON CONFLICT (name) DO NOTHING
            """,
            logger: logger
        )
        let rows = try await pool.run("SELECT value FROM secrets WHERE name = \(name)", logger: logger)
        guard let row = rows.first else {
            throw PostgresStoreError.invalidColumn(table: "secrets", column: "value", value: "missing")
        }
        return try row.bytes("value")
    }
}
