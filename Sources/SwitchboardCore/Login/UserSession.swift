package import Foundation

/// A login: what refresh tokens and logout refer to.
package struct UserSession: Sendable, Hashable, Codable {
    package var id: String
    package var app: String
    package var clientID: String
    package var userID: String
    /// When the user last proved possession of the phone (`auth_time`).
    package var authTime: Date
    package var createdAt: Date
    package var revokedAt: Date?

    package init(id: String, app: String, clientID: String, userID: String, authTime: Date, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.app = app
        self.clientID = clientID
        self.userID = userID
        self.authTime = authTime
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// The client a session was opened by: only it may refresh or end the session.
package struct SessionOwner: Sendable, Hashable {
    package var app: String
    package var clientID: String

    package init(app: String, clientID: String) {
        self.app = app
        self.clientID = clientID
    }

    /// Whether `session` was opened by this client of this app.
    package func owns(_ session: UserSession) -> Bool {
        session.app == app && session.clientID == clientID
    }
}

/// What ending a session did.
package enum SessionRevocation: Sendable, Hashable {
    /// The session was live and is now revoked.
    case revoked
    /// The owner's session had already ended (logged out, or revoked by refresh-token reuse).
    case alreadyEnded
    /// No session with this id, or one another client opened.
    case notFound
}

/// A refresh token as stored: only its hash.
package struct RefreshTokenRecord: Sendable, Hashable, Codable {
    /// The key the token is stored under: a digest of it, never the token (see `RefreshToken`).
    package var hash: [UInt8]
    package var sessionID: String
    package var createdAt: Date
    package var expiresAt: Date
    /// Set once the token has been exchanged for a new one; presenting it again revokes the session.
    package var rotatedAt: Date?

    package init(hash: [UInt8], sessionID: String, createdAt: Date, expiresAt: Date, rotatedAt: Date? = nil) {
        self.hash = hash
        self.sessionID = sessionID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.rotatedAt = rotatedAt
    }
}

/// What presenting a refresh token did.
package enum RefreshRotation: Sendable, Hashable {
    /// The token was live: it is now rotated and the new one stored.
    case rotated(UserSession)
    /// The token had already been rotated: someone replayed it, so the session is now revoked.
    case reused(sessionID: String)
    /// Unknown, expired, of another client's session, or its session is revoked.
    case invalid
}

/// A session to open together with its first refresh token.
package struct NewSession: Sendable, Hashable {
    package var session: UserSession
    package var refreshToken: RefreshTokenRecord

    package init(session: UserSession, refreshToken: RefreshTokenRecord) {
        self.session = session
        self.refreshToken = refreshToken
    }
}
