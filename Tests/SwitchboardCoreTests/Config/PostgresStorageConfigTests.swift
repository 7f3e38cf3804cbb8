import Testing
@testable import SwitchboardCore

/// `storage.postgres`: a URL that must parse, a pool size in range, exactly one store, and a
/// password that no problem ever prints.
@Suite("PostgreSQL storage configuration")
struct PostgresStorageConfigTests {
    /// Lines 1–4; each case puts its `storage:` on line 5.
    static let base = """
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }

        """

    @Test func urlFromTheEnvironmentGivesEveryPart() throws {
        let config = try parseConfig(
            Self.base + "storage: { postgres: { url: \"${DATABASE_URL}\", pool: 35 } }",
            environment: ["DATABASE_URL": "postgresql://sb:s3cret@db.internal:6543/switchboard?sslmode=require"]
        )
        let expected = PostgresSettings(
            host: "db.internal", port: 6543, username: "sb", password: "s3cret", database: "switchboard", tls: .require, pool: 35
        )
        #expect(config.storage == .postgres(expected))
    }

    @Test func portPoolAndTLSHaveDefaults() throws {
        let config = try parseConfig(Self.base + "storage: { postgres: { url: \"postgres://sb@localhost/app\" } }")
        let expected = PostgresSettings(host: "localhost", port: 5432, username: "sb", password: nil, database: "app", tls: .prefer, pool: 20)
        #expect(config.storage == .postgres(expected))
    }

    @Test func bothStoresAreOneTooMany() {
        expectOne(
            Self.base + "storage:\n  sqlite: ./data/x.sqlite\n  postgres: { url: \"postgres://sb@localhost/app\" }",
            line: 7, column: 13, contains: ["both 'sqlite' and 'postgres'", "keep exactly one"]
        )
    }

    @Test func postgresWithoutAURLIsReported() {
        expectOne(Self.base + "storage: { postgres: { pool: 5 } }", line: 5, column: 22, contains: ["'storage.postgres' needs 'url'"])
    }

    @Test func anEmptyPostgresEntryIsReported() {
        expectOne(Self.base + "storage:\n  postgres:", line: 6, column: 12, contains: ["'storage.postgres' needs 'url'"])
    }

    @Test func aURLOfAnotherSchemeIsReportedWithoutItsPassword() {
        let problems = configProblems(Self.base + "storage: { postgres: { url: \"mysql://sb:hunter2@db/app\" } }")
        #expect(problems.count == 1)
        let problem = problems.first
        #expect(problem?.line == 5 && problem?.column == 29)
        #expect(problem?.message.contains("'mysql://', not postgres:// or postgresql://") == true)
        #expect(problem?.message.contains("hunter2") == false)
    }

    @Test func aURLWithoutADatabaseNamesWhatIsMissingAndKeepsTheReference() {
        let problems = configProblems(
            Self.base + "storage: { postgres: { url: \"${DATABASE_URL}\" } }",
            environment: ["DATABASE_URL": "postgres://sb:hunter2@db.internal:5432"]
        )
        #expect(problems.count == 1)
        let message = problems.first?.message ?? ""
        #expect(message.contains("(${DATABASE_URL}) has no database name"))
        #expect(!message.contains("hunter2"))
    }

    @Test func aURLWithoutAUserIsReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://db.internal/app\" } }", line: 5, column: 29,
            contains: ["has no user name", "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"]
        )
    }

    @Test func anUnknownSSLModeIsReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@db/app?sslmode=allow\" } }", line: 5, column: 29,
            contains: ["sslmode 'allow'", "disable, prefer, require, verify-ca, verify-full"]
        )
    }

    @Test(arguments: ["0", "201"])
    func aPoolOutsideOneToTwoHundredIsReported(pool: String) {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@db/app\", pool: \(pool) } }", line: 5, column: 59,
            contains: ["'storage.postgres.pool' must be a whole number from 1 to 200", "\"\(pool)\""]
        )
    }

    @Test func aSocketDirectoryInTheHostParameterIsAUnixSocket() throws {
        let config = try parseConfig(Self.base + "storage: { postgres: { url: \"postgres://sb:hunter2@/app?host=/run/postgresql\" } }")
        let expected = PostgresSettings(host: "/run/postgresql", port: 5432, username: "sb", password: "hunter2", database: "app", tls: .prefer, pool: 20)
        #expect(config.storage == .postgres(expected))
        #expect(expected.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect("\(expected)" == "postgres://sb@:5432/app?host=/run/postgresql")
    }

    @Test func aPercentEncodedSocketDirectoryInPlaceOfTheHostIsAUnixSocket() throws {
        let settings = try PostgresSettings.parse(url: "postgresql://sb@%2Fvar%2Frun%2Fpostgresql%2F:5433/app?sslmode=disable").get()
        #expect(settings.host == "/var/run/postgresql/")
        #expect(settings.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5433")
        #expect(settings.tls == .disable)
    }

    @Test func aHostNameIsReachedOverTCP() throws {
        #expect(try PostgresSettings.parse(url: "postgres://sb@db.internal/app").get().unixSocketPath == nil)
        #expect(try PostgresSettings.parse(url: "postgres://sb@/app?host=db.internal").get().host == "db.internal")
    }

    @Test func aHostGivenTwiceIsReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@db.internal/app?host=/run/postgresql\" } }", line: 5, column: 29,
            contains: ["names a host both before the database and in its 'host' parameter", "keep one"]
        )
    }

    @Test(arguments: ["host=/run/a&host=/run/b", "sslmode=disable&sslmode=require"])
    func aParameterGivenTwiceIsReported(parameters: String) {
        let name = String(parameters.prefix { $0 != "=" })
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@/app?\(parameters)\" } }", line: 5, column: 29,
            contains: ["gives the parameter '\(name)' more than once; keep one"]
        )
    }

    @Test func verifyingModesAndTheirAuthoritiesAreLibpqs() throws {
        let full = try PostgresSettings.parse(url: "postgres://sb@db.internal/app?sslmode=verify-full&sslrootcert=/etc/pg/ca.pem").get()
        #expect(full.tls == .verifyFull && full.rootCertificatesFile == "/etc/pg/ca.pem" && full.certificateCheck == .chainAndHost)
        #expect(
            full.security
                == "sslmode verify-full: encrypted, the server's certificate checked against the authorities in /etc/pg/ca.pem and for the name db.internal"
        )
        let systemCA = try PostgresSettings.parse(url: "postgres://sb@db.internal/app?sslmode=verify-ca&sslrootcert=system").get()
        #expect(systemCA.rootCertificatesFile == nil && systemCA.certificateCheck == .chain)
        #expect(systemCA.security == "sslmode verify-ca: encrypted, the server's certificate checked against the system's trust store, not its host name")
        // As in libpq, naming the authorities makes require check the chain; without them it checks nothing.
        #expect(try PostgresSettings.parse(url: "postgres://sb@db/app?sslmode=require&sslrootcert=/ca.pem").get().certificateCheck == .chain)
        let prefer = try PostgresSettings.parse(url: "postgres://sb@db/app").get()
        #expect(prefer.certificateCheck == .none)
        #expect(prefer.security == "sslmode prefer: encrypted when the server offers TLS, the server's certificate not checked")
        #expect(try PostgresSettings.parse(url: "postgres://sb@db/app?sslmode=disable").get().security == "sslmode disable: not encrypted")
    }

    @Test func authoritiesWithoutTLSAreReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@db/app?sslmode=disable&sslrootcert=/ca.pem\" } }", line: 5, column: 29,
            contains: ["has sslrootcert with sslmode 'disable'", "drop one of them"]
        )
    }

    @Test func anEmptySSLRootCertIsReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@db/app?sslmode=verify-ca&sslrootcert=\" } }", line: 5, column: 29,
            contains: ["has an empty sslrootcert", "sslrootcert=system"]
        )
    }

    @Test(arguments: [("sslmode=verify-ca", "sslmode 'verify-ca'"), ("sslmode=verify-full", "sslmode 'verify-full'"), ("sslrootcert=/ca.pem", "sslrootcert")])
    func certificateChecksOnASocketAreReported(parameter: String, named: String) {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@/app?host=/run/postgresql&\(parameter)\" } }", line: 5, column: 29,
            contains: ["has \(named) with a Unix-domain socket, where PostgreSQL never uses TLS"]
        )
    }

    @Test func tlsRequiredOnASocketIsReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@/app?host=/run/postgresql&sslmode=require\" } }", line: 5, column: 29,
            contains: ["sslmode 'require' with a Unix-domain socket", "connect over TCP"]
        )
    }

    @Test func aSocketPathTooLongForTheKernelIsReported() {
        let directory = "/" + String(repeating: "d", count: 100)
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@/app?host=\(directory)\" } }", line: 5, column: 29,
            contains: ["leads to the socket \(directory)/.s.PGSQL.5432, 115 bytes long", "at most 103", "unix_socket_directories"]
        )
    }

    @Test func aURLWithoutAnyHostIsReported() {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@/app\" } }", line: 5, column: 29,
            contains: ["has no host", "?host=/SOCKET/DIRECTORY"]
        )
    }

    @Test func theDescriptionLeavesThePasswordOut() throws {
        let settings = try PostgresSettings.parse(url: "postgres://sb:hunter2@[::1]:5433/app").get()
        #expect(settings.password == "hunter2")
        #expect("\(settings)" == "postgres://sb@[::1]:5433/app")
    }
}
