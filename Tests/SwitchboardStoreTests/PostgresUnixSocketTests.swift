import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A daemon on the database's own machine reaches PostgreSQL through its Unix-domain socket
/// (`?host=/run/postgresql`): the store's pool connects there, not over TCP, and shares its state
/// with the daemons that come over TCP.
@Suite("PostgreSQL over a Unix-domain socket", .timeLimit(.minutes(2)))
struct PostgresUnixSocketTests {
    @Test func aStoreOnTheSocketConnectsThereAndSharesItsDatabase() async throws {
        try await TestPostgres.withDatabase { tcp in
            let socket = try await Self.socketSettings(of: tcp)
            #expect(socket.unixSocketPath != nil)
            let (written, overTCP, overSocket) = try await TestPostgres.withStores(1, on: socket) { stores in
                try await stores[0].migrate()
                let written = try await stores[0].secret(named: "code-key", orInsert: Array(repeating: 7, count: 32))
                let (overTCP, overSocket) = try await Self.clientBackends(of: tcp)
                return (written, overTCP, overSocket)
            }
            let read = try await TestPostgres.withStores(1, on: tcp) { stores in
                try await stores[0].secret(named: "code-key", orInsert: Array(repeating: 9, count: 32))
            }
            #expect(overSocket >= 1)
            #expect(overTCP == 0)
            #expect(read == written)
            #expect(written == Array(repeating: 7, count: 32))
        }
    }

    /// The settings of the database `tcp` names, reached through the cluster's first socket
    /// directory, as an operator writes them in `storage.postgres.url`.
    private static func socketSettings(of tcp: PostgresSettings) async throws -> PostgresSettings {
        let rows = try await TestPostgres.rows("SELECT current_setting('unix_socket_directories'), current_setting('port')", on: tcp)
        let (directories, port) = try #require(rows.first).decode((String, String).self)
        let directory = try #require(directories.split(separator: ",").first).trimmingCharacters(in: .whitespaces)
        return try PostgresSettings.parse(url: "postgres://\(tcp.username)@:\(port)/\(tcp.database)?host=\(directory)", pool: 2).get()
    }

    /// How many client connections to that database, other than the one asking, came over TCP
    /// and how many through a socket (PostgreSQL shows no client address for those).
    private static func clientBackends(of tcp: PostgresSettings) async throws -> (tcp: Int, socket: Int) {
        let query: PostgresQuery = """
            SELECT count(*) FILTER (WHERE client_addr IS NOT NULL), count(*) FILTER (WHERE client_addr IS NULL)
            FROM pg_stat_activity
            WHERE datname = \(tcp.database) AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            """
        let rows = try await TestPostgres.rows(query, on: tcp)
        let (overTCP, overSocket) = try #require(rows.first).decode((Int, Int).self)
        return (overTCP, overSocket)
    }
}
