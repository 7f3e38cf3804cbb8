import Foundation
import Logging

/// Brings a database up to the newest ``SQLiteMigration``.
enum SQLiteMigrator {
    /// Applies every migration not yet recorded in `schema_migrations`, each in its own transaction.
    ///
    /// Safe to run again, and from two processes at once: each migration checks whether it was
    /// applied only after `BEGIN IMMEDIATE` has taken the write lock.
    /// - Parameters:
    ///   - connection: A connection that is not inside a transaction.
    ///   - migrations: The migrations, oldest first.
    ///   - logger: Where each applied migration is reported.
    /// - Throws: ``SQLiteStoreError/schemaTooNew(found:known:)`` for a file from a newer build, or
    ///   the SQLite error of a failed migration, which is then rolled back.
    static func migrate(
        _ connection: SQLiteDatabase,
        migrations: [SQLiteMigration] = SQLiteMigration.all,
        logger: Logger
    ) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at_us INTEGER NOT NULL
            ) STRICT
            """
        )
        let known = migrations.last?.version ?? 0
        let found = try version(connection)
        guard found <= known else { throw SQLiteStoreError.schemaTooNew(found: found, known: known) }

        for migration in migrations where migration.version > found {
            try connection.execute("BEGIN IMMEDIATE")
            do {
                let applied = try connection.query(
                    "SELECT 1 FROM schema_migrations WHERE version = ?1",
                    [.integer(migration.version)]
                )
                if applied.isEmpty {
                    for statement in migration.statements {
                        try connection.execute(statement)
                    }
                    try connection.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (?1, ?2, ?3)",
                        [
                            .integer(migration.version), .text(migration.name),
                            .integer(.init(Date().microsecondsSince1970)),
                        ]
                    )
                }
                try connection.execute("COMMIT")
                if applied.isEmpty {
                    logger.info(
                        "Applied SQLite migration",
                        metadata: ["sb.migration.version": "\(migration.version)", "sb.migration.name": "\(migration.name)"]
                    )
                }
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The newest applied migration's version, or 0 for a database never migrated.
    static func version(_ connection: SQLiteDatabase) throws -> Int {
        let table = try connection.query(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
        )
        guard !table.isEmpty else { return 0 }
        let row = try connection.first("SELECT coalesce(max(version), 0) AS version FROM schema_migrations")
        return Int(try row?.integer("version", table: "schema_migrations") ?? 0)
    }
}
