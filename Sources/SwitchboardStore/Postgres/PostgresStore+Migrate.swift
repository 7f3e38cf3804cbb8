import Logging
import NIOSSL
import PostgresNIO
import SwitchboardCore

extension PostgresStore {
    /// Applies the schema migrations this build knows and the database has not had yet, on a
    /// connection of its own, under a session advisory lock: daemons starting together apply each
    /// migration exactly once. Idempotent; the server calls it before serving.
    /// - Throws: When the database cannot be reached (the error says why), for a database a newer
    ///   build migrated (``PostgresStoreError/schemaTooNew(found:known:)``), or the failed migration's error.
    package func migrate() async throws {
        try await withOwnConnection { try await PostgresMigrator.migrate($0, logger: logger) }
    }

    /// The version of the newest migration applied, 0 before ``migrate()``.
    package func schemaVersion() async throws -> Int {
        try await withOwnConnection { connection in
            let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger).collect()
            guard try exists.first?.makeRandomAccess()[0].decode(Bool.self) == true else { return 0 }
            return try await PostgresMigrator.version(connection, logger: logger)
        }
    }

    /// Runs `body` on a new connection outside the pool, closed after.
    private func withOwnConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
        } catch let error as PSQLError where settings.certificateCheck != .none && (error.underlying is NIOSSLError || error.underlying is NIOSSLExtraError) {
            // The library's account names BoringSSL's error, not what to change.
            throw PostgresStoreError.serverCertificateRejected(check: settings.security, detail: error.underlying.map { "\($0)" } ?? "")
        }
        do {
            let value = try await body(connection)
            try? await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension PostgresStore {
    /// Every version recorded in `schema_migrations`, oldest first, repeats included: for checks
    /// that each migration was applied once.
    package func appliedMigrationVersions() async throws -> [Int] {
        try await pool.run("SELECT version FROM schema_migrations ORDER BY version", logger: logger).map { Int(try $0.integer("version")) }
    }
}
