import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A daemon that logs in with a password, as on most servers (SCRAM over TCP): the test cluster
/// asks the members of `switchboard_password_users` for theirs (`scripts/postgres`). The password
/// sits in the URL percent-encoded, as operators write one with reserved characters.
@Suite("PostgreSQL with a password", .timeLimit(.minutes(2)))
struct PostgresPasswordTests {
    static let password = "p@ss w/rd:%#?"

    @Test func theRightPasswordOpensTheStore() async throws {
        try await Self.withOwnedDatabase { admin, role in
            let settings = try Self.settings(like: admin, role: role, password: Self.password)
            #expect(settings.password == Self.password)
            let secret = try await TestPostgres.withStores(1, on: settings) { stores in
                try await stores[0].migrate()
                return try await stores[0].secret(named: "code-key", orInsert: Array(repeating: 4, count: 32))
            }
            #expect(secret == Array(repeating: 4, count: 32))
        }
    }

    @Test func aWrongPasswordIsRefusedByTheServer() async throws {
        try await Self.withOwnedDatabase { admin, role in
            let settings = try Self.settings(like: admin, role: role, password: "not the password")
            let error = await #expect(throws: PSQLError.self) {
                try await TestPostgres.withStores(1, on: settings) { try await $0[0].migrate() }
            }
            #expect(error.map { String(reflecting: $0) }?.contains("password authentication failed for user \"\(role)\"") == true)
        }
    }

    /// A login role of its own with ``password``, which owns a fresh database, for `body`.
    private static func withOwnedDatabase(_ body: (PostgresSettings, String) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { admin in
            let role = "sb_password_" + UUID().uuidString.prefix(8).lowercased()
            let quoted = password.replacingOccurrences(of: "'", with: "''")
            try await run(admin, "CREATE ROLE \(role) LOGIN PASSWORD '\(quoted)' IN ROLE switchboard_password_users")
            try await run(admin, "ALTER DATABASE \(admin.database) OWNER TO \(role)")
            var failure: (any Error)?
            do { try await body(admin, role) } catch { failure = error }
            try await run(admin, "ALTER DATABASE \(admin.database) OWNER TO \(admin.username)")
            try await run(admin, "DROP OWNED BY \(role)")
            try await run(admin, "DROP ROLE \(role)")
            if let failure { throw failure }
        }
    }

    private static func settings(like admin: PostgresSettings, role: String, password: String) throws -> PostgresSettings {
        let encoded = try #require(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        return try PostgresSettings.parse(url: "postgres://\(role):\(encoded)@127.0.0.1:\(admin.port)/\(admin.database)", pool: 2).get()
    }

    private static func run(_ admin: PostgresSettings, _ sql: String) async throws {
        try await TestPostgres.rows(PostgresQuery(unsafeSQL: sql), on: admin)
    }
}
