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
            Self.base + "storage: { postgres: { url: \"postgres://sb@db/app?sslmode=verify-full\" } }", line: 5, column: 29,
            contains: ["sslmode 'verify-full'", "disable, prefer, require"]
        )
    }

    @Test(arguments: ["0", "201"])
    func aPoolOutsideOneToTwoHundredIsReported(pool: String) {
        expectOne(
            Self.base + "storage: { postgres: { url: \"postgres://sb@db/app\", pool: \(pool) } }", line: 5, column: 59,
            contains: ["'storage.postgres.pool' must be a whole number from 1 to 200", "\"\(pool)\""]
        )
    }

    @Test func theDescriptionLeavesThePasswordOut() throws {
        let settings = try PostgresSettings.parse(url: "postgres://sb:hunter2@[::1]:5433/app").get()
        #expect(settings.password == "hunter2")
        #expect("\(settings)" == "postgres://sb@[::1]:5433/app")
    }
}
