import PostgresNIO
package import SwitchboardCore

/// How a test takes the database away from a store or a daemon, and gives it back: the server
/// stops (connections end, new ones are refused), the network to it goes silent (connections stay
/// open and nothing answers), or the address leads to a server that takes no writes (a standby,
/// or the former primary after a failover).
package enum DatabaseOutage: String, CaseIterable, Sendable {
    case cut, silence, readOnly

    /// - Parameters:
    ///   - proxy: The proxy the store or daemon reaches the database through.
    ///   - database: The database itself.
    package func begin(_ proxy: SeverableProxy, _ database: PostgresSettings) async throws {
        switch self {
        case .cut: try await proxy.cut()
        case .silence: proxy.silence()
        case .readOnly:
            try await Self.setReadOnly(true, database)
            try await TestPostgres.endClientConnections(of: database)
        }
    }

    package func end(_ proxy: SeverableProxy, _ database: PostgresSettings) async throws {
        switch self {
        case .cut, .silence: try await proxy.restore()
        case .readOnly: try await Self.setReadOnly(false, database)
        }
    }

    /// Makes every new connection to `database` read-only, or writable again; set from another
    /// database, whose connections stay writable.
    package static func setReadOnly(_ on: Bool, _ database: PostgresSettings) async throws {
        let sql = "ALTER DATABASE \(database.database) SET default_transaction_read_only = \(on ? "on" : "off")"
        try await TestPostgres.rows(PostgresQuery(unsafeSQL: sql), on: try TestPostgres.adminSettings())
    }
}
