import Logging
import PostgresNIO

extension PostgresConnection {
    /// Takes the transaction-scoped advisory lock named `name` (held until commit or rollback), so
    /// that every daemon's transactions about the same thing run one at a time. Names are hashed to
    /// a lock number: two names sharing one only wait for each other needlessly.
    func lock(_ name: String, logger: Logger) async throws {
        try await run("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))", logger: logger)
    }

    /// Takes the transaction-scoped advisory lock named `name` if no other transaction holds it.
    /// - Returns: Whether it was taken.
    func tryLock(_ name: String, logger: Logger) async throws -> Bool {
        let rows = try await run("SELECT pg_try_advisory_xact_lock(hashtextextended(\(name), 0)) AS taken", logger: logger)
        return try rows.first?.boolean("taken") ?? false
    }

    /// Takes the locks named `names`, in their order, in one round trip.
    func lock(_ names: [String], logger: Logger) async throws {
        try await run(
            """
            SELECT count(pg_advisory_xact_lock(hashtextextended(name, 0)))
            FROM unnest(\(names)::text[]) AS name
            """,
            logger: logger
        )
    }
}

/// The names of the advisory locks, one namespace each.
enum AdvisoryLock {
    /// A user's challenge, failure count and lockout in one app.
    static func otp(app: String, userID: String) -> String { "otp\u{1F}\(app)\u{1F}\(userID)" }
    /// A number's send counter.
    static func sends(key: String) -> String { "sends\u{1F}\(key)" }
    /// A send budget's counter.
    static func budget(key: String) -> String { "budget\u{1F}\(key)" }
    /// A number prefix's velocity count and block in one app.
    static func prefix(app: String, prefix: String) -> String { "prefix\u{1F}\(app)\u{1F}\(prefix)" }
    /// A slowed scope's conversion count in one app.
    static func conversion(app: String, scope: String) -> String { "conversion\u{1F}\(app)\u{1F}\(scope)" }
    /// An identifier value of a user being created.
    static func identifier(field: String, value: String) -> String { "user\u{1F}\(field)\u{1F}\(value)" }
    /// The purge of aged-out records: one daemon at a time deletes.
    static let retention = "retention"
}
