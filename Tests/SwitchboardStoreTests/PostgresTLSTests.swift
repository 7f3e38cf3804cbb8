import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// TLS to PostgreSQL with libpq's `sslmode` and `sslrootcert`, against the test cluster, which has
/// TLS on with a certificate no system trusts, as Debian's own cluster and managed databases do:
/// `scripts/postgres` makes an authority of its own that signs the server's certificate, for the
/// name `localhost` only.
@Suite("PostgreSQL over TLS", .timeLimit(.minutes(2)))
struct PostgresTLSTests {
    /// Each mode against the cluster's certificate: `prefer` and `require` accept it unchecked;
    /// with its authority named, `verify-full` accepts it for the name it was made for and
    /// `verify-ca` for any (`AUTHORITY` stands for the authority's file).
    @Test(arguments: [
        ("127.0.0.1", "sslmode=prefer", PostgresSettings.CertificateCheck.none),
        ("127.0.0.1", "sslmode=require", .none),
        ("localhost", "sslmode=verify-full&sslrootcert=AUTHORITY", .chainAndHost),
        ("127.0.0.1", "sslmode=verify-ca&sslrootcert=AUTHORITY", .chain),
    ])
    func everyConnectionIsEncrypted(host: String, parameters: String, check: PostgresSettings.CertificateCheck) async throws {
        try await TestPostgres.withDatabase { plain in
            let authority = try await Self.testAuthority(plain)
            let named = parameters.replacingOccurrences(of: "AUTHORITY", with: authority)
            let settings = try Self.settings(like: plain, host: host, parameters: named)
            #expect(settings.certificateCheck == check)
            let backends = try await Self.migrateAndCountBackends(settings, admin: plain)
            #expect(backends.encrypted >= 1)
            #expect(backends.plain == 0)
        }
    }

    @Test func verifyFullRefusesAnAddressTheCertificateDoesNotName() async throws {
        try await TestPostgres.withDatabase { plain in
            let authority = try await Self.testAuthority(plain)
            let settings = try Self.settings(like: plain, host: "127.0.0.1", parameters: "sslmode=verify-full&sslrootcert=\(authority)")
            let message = try await Self.refusal(settings)
            #expect(message.contains("the server's TLS certificate was refused"))
            #expect(message.contains("sslmode verify-full: encrypted, the server's certificate checked against the authorities in \(authority) and for the name 127.0.0.1"))
        }
    }

    @Test(arguments: ["sslmode=verify-full", "sslmode=verify-ca&sslrootcert=system"])
    func theSystemsTrustStoreRefusesACertificateOfItsOwnAuthority(parameters: String) async throws {
        try await TestPostgres.withDatabase { plain in
            let settings = try Self.settings(like: plain, host: "localhost", parameters: parameters)
            let message = try await Self.refusal(settings)
            #expect(message.contains("checked against the system's trust store"))
        }
    }

    @Test func requireWithOtherAuthoritiesChecksTheChain() async throws {
        try await TestPostgres.withDatabase { plain in
            // The system's authorities, in a file: none of them signed the test cluster's certificate.
            let others = "/etc/ssl/certs/ca-certificates.crt"
            let settings = try Self.settings(like: plain, host: "127.0.0.1", parameters: "sslmode=require&sslrootcert=\(others)")
            #expect(settings.certificateCheck == .chain)
            let message = try await Self.refusal(settings)
            #expect(message.contains("sslmode require: encrypted, the server's certificate checked against the authorities in \(others), not its host name"))
        }
    }

    @Test func authoritiesThatCannotBeReadStopTheStoreNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.pem").path
        let notPEM = folder.appendingPathComponent("not.pem").path
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: notPEM))
        for (file, problem) in [(missing, "does not exist"), (notPEM, "is not a PEM file of certificates")] {
            let settings = try PostgresSettings.parse(url: "postgres://sb@db.internal/app?sslmode=verify-full&sslrootcert=\(file)").get()
            let error = #expect(throws: PostgresStoreError.self) { try PostgresStore.open(settings, logger: TestPostgres.quiet) }
            #expect(error.map { "\($0)" }?.contains("the URL's sslrootcert, \(file), \(problem)") == true, "\(String(describing: error))")
        }
    }

    /// The test database `plain` names, at `host`, with `parameters` in place of its own.
    private static func settings(like plain: PostgresSettings, host: String, parameters: String) throws -> PostgresSettings {
        try PostgresSettings.parse(url: "postgres://\(plain.username)@\(host):\(plain.port)/\(plain.database)?\(parameters)", pool: 2).get()
    }

    /// The certificate of the authority that signed the test cluster's.
    private static func testAuthority(_ plain: PostgresSettings) async throws -> String {
        let rows = try await TestPostgres.rows("SELECT current_setting('data_directory')", on: plain)
        return try #require(rows.first).decode(String.self) + "/switchboard-test-ca.crt"
    }

    /// Migrates a store on `settings` and counts, from the plain admin connection, the clients of
    /// that database that came encrypted and those that did not, the asking one left out.
    private static func migrateAndCountBackends(
        _ settings: PostgresSettings, admin plain: PostgresSettings
    ) async throws -> (encrypted: Int, plain: Int) {
        try await TestPostgres.withStores(1, on: settings) { stores in
            try await stores[0].migrate()
            _ = try await stores[0].secret(named: "code-key", orInsert: Array(repeating: 1, count: 32))
            let query: PostgresQuery = """
                SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl)
                FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
                WHERE a.datname = \(plain.database) AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
                """
            let rows = try await TestPostgres.rows(query, on: plain)
            let (encrypted, plain) = try #require(rows.first).decode((Int, Int).self)
            return (encrypted, plain)
        }
    }

    /// What the store's opening says when it refuses the server's certificate.
    private static func refusal(_ settings: PostgresSettings) async throws -> String {
        let error = await #expect(throws: PostgresStoreError.self) {
            try await TestPostgres.withStores(1, on: settings) { try await $0[0].migrate() }
        }
        return error.map { "\($0)" } ?? ""
    }
}
