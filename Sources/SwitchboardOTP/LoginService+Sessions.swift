import Foundation
package import Logging
import SwitchboardCore

extension LoginService {
    /// Exchanges a refresh token for new tokens; the old one stops working, and presenting it
    /// again revokes the session.
    ///
    /// Only the client that opened the session may refresh it: another client's call is answered
    /// as for an unknown token and changes nothing, so the new tokens are always its own client's.
    package func refresh(token: String, client: ClientContext, logger: Logger) async throws -> TokenSet {
        let at = clock.date
        let replacement = RefreshToken.make(at: at)
        let rotation = try await store.rotateRefreshToken(
            hash: RefreshToken.storageKey(of: token), owner: client.sessionOwner, replacement: RefreshToken.storageKey(of: replacement),
            expiresAt: at.addingTimeInterval(Self.refreshLifetime), now: at
        )
        switch rotation {
        case .invalid: throw LoginError.invalidRefreshToken
        case .reused(let sessionID):
            logger.warning("a rotated refresh token was presented again; the session is revoked", metadata: ["sb.session": "\(sessionID)"])
            throw LoginError.invalidRefreshToken
        case .rotated(let session):
            guard let user = try await store.user(.userID(session.userID), in: client.app.userScope) else { throw LoginError.invalidRefreshToken }
            return try await issueTokens(
                user: user, session: session, client: client, resource: nil, approvalData: nil, authTime: session.authTime,
                refreshToken: replacement
            )
        }
    }

    /// Ends a session: its refresh tokens stop working.
    ///
    /// Idempotent for the client that opened the session: ending one that has already ended
    /// succeeds. Another client's session is answered as an unknown one.
    /// - Throws: ``LoginError/sessionNotFound``.
    package func logout(sessionID: String, client: ClientContext, logger: Logger) async throws {
        switch try await store.revokeSession(id: sessionID, owner: client.sessionOwner, at: clock.date) {
        case .revoked: logger.info("session ended", metadata: ["sb.session": "\(sessionID)"])
        case .alreadyEnded: logger.info("logout of a session that had already ended", metadata: ["sb.session": "\(sessionID)"])
        case .notFound: throw LoginError.sessionNotFound
        }
    }
}
