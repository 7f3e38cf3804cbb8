package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: SessionStore {
    static let sessionColumns = "id, app, client_id, user_id, auth_time_us, created_at_us, revoked_at_us"

    package func createSession(_ session: UserSession) async throws {
        try await Self.insert(session, on: pool, logger: logger)
    }

    static func insert(_ session: UserSession, on runner: some PostgresQueryRunner, logger: Logger) async throws {
        try await runner.run(
            """
            INSERT INTO sessions (id, app, client_id, user_id, auth_time_us, created_at_us, revoked_at_us)
            VALUES (\(session.id), \(session.app), \(session.clientID), \(session.userID),
                \(session.authTime.microsecondsSince1970), \(session.createdAt.microsecondsSince1970),
                \(session.revokedAt?.microsecondsSince1970))
            """,
            logger: logger
        )
    }

    package func session(id: String) async throws -> UserSession? {
        let rows = try await pool.run("SELECT \(unescaped: Self.sessionColumns) FROM sessions WHERE id = \(id)", logger: logger)
        return try rows.first.map(UserSession.init(row:))
    }

    package func addRefreshToken(_ token: RefreshTokenRecord) async throws {
        try await Self.insert(token, on: pool, logger: logger)
    }

    static func insert(_ token: RefreshTokenRecord, on runner: some PostgresQueryRunner, logger: Logger) async throws {
        try await runner.run(
            """
            INSERT INTO refresh_tokens (hash, session_id, created_at_us, expires_at_us, rotated_at_us)
            VALUES (\(Data(token.hash)), \(token.sessionID), \(token.createdAt.microsecondsSince1970),
                \(token.expiresAt.microsecondsSince1970), \(token.rotatedAt?.microsecondsSince1970))
            """,
            logger: logger
        )
    }

    /// Locks the token's row and its session's (`FOR UPDATE`): two daemons presenting the same token
    /// at once take turns, and the second sees it rotated, which is reuse.
    package func rotateRefreshToken(hash: [UInt8], owner: SessionOwner, replacement: [UInt8], expiresAt: Date, now: Date) async throws -> RefreshRotation {
        try await transaction { connection in
            let rows = try await connection.run(
                """
                SELECT t.expires_at_us, t.rotated_at_us, s.id, s.app, s.client_id, s.user_id, s.auth_time_us,
                    s.created_at_us, s.revoked_at_us
                FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.hash = \(Data(hash))
                FOR UPDATE OF t, s
                """,
                logger: logger
            )
            guard let row = rows.first else { return .invalid }
            let session = try UserSession(row: row)
            guard owner.owns(session), session.revokedAt == nil else { return .invalid }
            let nowMicros = now.microsecondsSince1970
            if !row.isNull("rotated_at_us") {
                try await connection.run("UPDATE sessions SET revoked_at_us = \(nowMicros) WHERE id = \(session.id)", logger: logger)
                return .reused(sessionID: session.id)
            }
            guard try row.integer("expires_at_us") > nowMicros else { return .invalid }
            try await connection.run("UPDATE refresh_tokens SET rotated_at_us = \(nowMicros) WHERE hash = \(Data(hash))", logger: logger)
            try await Self.insert(
                RefreshTokenRecord(hash: replacement, sessionID: session.id, createdAt: now, expiresAt: expiresAt), on: connection, logger: logger
            )
            return .rotated(session)
        }
    }

    package func revokeSession(id: String, owner: SessionOwner, at date: Date) async throws -> SessionRevocation {
        try await transaction { connection in
            let rows = try await connection.run(
                "SELECT \(unescaped: Self.sessionColumns) FROM sessions WHERE id = \(id) FOR UPDATE", logger: logger
            )
            guard let session = try rows.first.map(UserSession.init(row:)), owner.owns(session) else { return .notFound }
            guard session.revokedAt == nil else { return .alreadyEnded }
            try await connection.run(
                "UPDATE sessions SET revoked_at_us = \(date.microsecondsSince1970) WHERE id = \(id)", logger: logger
            )
            return .revoked
        }
    }
}

extension UserSession {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.text("id"),
            app: try row.text("app"),
            clientID: try row.text("client_id"),
            userID: try row.text("user_id"),
            authTime: try row.date("auth_time_us"),
            createdAt: try row.date("created_at_us"),
            revokedAt: try row.optionalDate("revoked_at_us")
        )
    }
}
