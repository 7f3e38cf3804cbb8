import Foundation
import Logging
import PostgresNIO

/// Brings a database up to the newest ``PostgresMigration``, once, however many daemons start at once.
enum PostgresMigrator {
    /// The session advisory lock every migrating daemon takes first: one migrates, the others wait,
    /// then find nothing left to do. A lock of a session, not of a transaction, because each
    /// migration commits on its own; it ends with the connection if the daemon dies.
    static let lockKey: Int64 = 0x5357_4254_4D49_4752  // "SWBTMIGR"

    /// Applies every migration not yet recorded in `schema_migrations`, each in its own transaction.
    /// - Parameters:
    ///   - connection: A connection of its own, not in a transaction.
    ///   - migrations: The migrations, oldest first.
    ///   - logger: Where each applied migration is reported.
    /// - Throws: ``PostgresStoreError/schemaTooNew(found:known:)`` for a database a newer build
    ///   migrated, or the error of the migration that failed (rolled back; earlier ones stay).
    static func migrate(
        _ connection: PostgresConnection, migrations: [PostgresMigration] = PostgresMigration.all, logger: Logger
    ) async throws {
        try await connection.run("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
        do {
            try await applyUnderLock(connection, migrations: migrations, logger: logger)
        } catch {
            _ = try? await connection.run("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            throw error
        }
        try await connection.run("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
    }

    private static func applyUnderLock(_ connection: PostgresConnection, migrations: [PostgresMigration], logger: Logger) async throws {
        try await connection.run(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at_us bigint NOT NULL
            )
            """,
            logger: logger
        )
        let known = migrations.last?.version ?? 0
        let found = try await version(connection, logger: logger)
        guard found <= known else { throw PostgresStoreError.schemaTooNew(found: found, known: known) }
        for migration in migrations where migration.version > found {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let now = Date().microsecondsSince1970
                try await connection.run(
                    "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (\(migration.version), \(migration.name), \(now))",
                    logger: logger
                )
            }
            logger.info(
                "Applied PostgreSQL migration",
                metadata: ["sb.migration.version": "\(migration.version)", "sb.migration.name": "\(migration.name)"]
            )
        }
    }

    /// The newest applied migration's version (0 for none); `schema_migrations` must exist.
    static func version(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            logger: logger
        ).collect()
        return try rows.first.map { try $0.makeRandomAccess()[0].decode(Int.self) } ?? 0
    }
}
