import Foundation
package import Logging
package import PostgresNIO
package import SwitchboardCore
package import SwitchboardStore

/// The PostgreSQL the tests run against: the cluster `scripts/test` starts (`scripts/postgres`),
/// named by `SWITCHBOARD_TEST_POSTGRES_URL`. Every test gets a database of its own, made fresh and
/// dropped after, so tests run in parallel. Without the cluster the tests fail: they never skip.
package enum TestPostgres {
    package static let variable = "SWITCHBOARD_TEST_POSTGRES_URL"

    /// Why a PostgreSQL test could not run.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    /// The cluster's admin connection settings.
    /// - Throws: ``Unavailable`` when the variable is unset or is not a PostgreSQL URL.
    package static func adminSettings() throws -> PostgresSettings {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            throw Unavailable(
                description: "\(variable) is not set: this test needs PostgreSQL; run the tests with scripts/test, which starts a throwaway cluster"
            )
        }
        switch PostgresSettings.parse(url: url, pool: 2) {
        case .success(let settings): return settings
        case .failure(let problem): throw Unavailable(description: "\(variable) \(problem); run the tests with scripts/test")
        }
    }

    /// Calls `body` with the settings of a new, empty database, and drops the database after.
    package static func withDatabase<T>(_ body: (PostgresSettings) async throws -> T) async throws -> T {
        var settings = try adminSettings()
        let name = "sb_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin(settings, "CREATE DATABASE \(name)")
        settings.database = name
        let value: T
        do {
            value = try await body(settings)
        } catch {
            try? await admin(settings, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await admin(settings, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        return value
    }

    /// Calls `body` with a migrated, running store on a new database, and closes it and drops the database after.
    package static func withStore<T>(_ body: (PostgresStore) async throws -> T) async throws -> T {
        try await withDatabase { settings in
            try await withStores(1, on: settings) { stores in
                try await stores[0].migrate()
                return try await body(stores[0])
            }
        }
    }

    /// Calls `body` with `count` running stores on the database `settings` names, one per daemon
    /// that shares it, and closes them after; nothing migrates them.
    package static func withStores<T>(_ count: Int, on settings: PostgresSettings, _ body: ([PostgresStore]) async throws -> T) async throws -> T {
        let stores = try (0..<count).map { _ in try PostgresStore.open(settings, logger: quiet) }
        return try await PostgresStore.withRunning(stores) { try await body(stores) }
    }

    /// A connection of its own, outside any store's pool, to `database` or else the one `settings` names.
    package static func connection(to settings: PostgresSettings, database: String? = nil) async throws -> PostgresConnection {
        var settings = settings
        if let database { settings.database = database }
        return try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: quiet)
    }

    /// Every row of `query`, run on a connection of its own to the database `settings` names, closed after.
    @discardableResult
    package static func rows(_ query: PostgresQuery, on settings: PostgresSettings) async throws -> [PostgresRow] {
        let connection = try await connection(to: settings)
        do {
            let rows = try await connection.query(query, logger: quiet).collect()
            try await connection.close()
            return rows
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs one statement on the cluster's admin database (`postgres`), whatever `settings` names.
    private static func admin(_ settings: PostgresSettings, _ sql: String) async throws {
        let logger = quiet
        let connection: PostgresConnection
        do {
            connection = try await Self.connection(to: settings, database: "postgres")
        } catch {
            throw Unavailable(
                description: "cannot connect to the test PostgreSQL at \(settings) (\(String(reflecting: error))); run the tests with scripts/test"
            )
        }
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// The process ids of the client connections to the database `settings` names whose
    /// `application_name` is `named`.
    package static func clientProcesses(of settings: PostgresSettings, named: String) async throws -> Set<Int32> {
        let rows = try await rows(
            "SELECT pid FROM pg_stat_activity WHERE datname = \(settings.database) AND application_name = \(named)",
            on: settings
        )
        return Set(try rows.map { try $0.decode(Int32.self) })
    }

    /// Ends every client connection to the database `settings` names but the asking one, as an
    /// administrator's `pg_terminate_backend` does; returns how many.
    @discardableResult
    package static func endClientConnections(of settings: PostgresSettings) async throws -> Int {
        let query: PostgresQuery = """
            SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = \(settings.database) AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            """
        guard let row = try await rows(query, on: settings).first else { return 0 }
        return try row.decode(Int.self)
    }

    /// A logger that drops everything.
    package static let quiet = Logger(label: "switchboard.tests.postgres") { _ in SwiftLogNoOpLogHandler() }
}
