import Foundation
import SwitchboardCore

extension LoginService {
    /// `grant_type=client_credentials`: a client access token.
    /// - Throws: ``ClientAuthError/invalidClient`` for an unknown client or a wrong secret;
    ///   ``ClientAuthError/invalidTarget(_:)`` for a `resource` the app does not list.
    package func clientToken(clientID: String, secret: String, resource: String?) async throws -> ClientToken {
        let found = config.client(clientID)
        // Compare even for an unknown client, so timing does not tell which client ids exist.
        let matches = ConstantTime.equalDigests(secret, found?.client.secret ?? "unknown-client-\(UUID().uuidString)")
        guard let found, matches else { throw ClientAuthError.invalidClient }
        let audience = resource ?? Self.apiAudience
        guard Self.clientTokenAudiences(of: found.app).contains(audience) else {
            throw ClientAuthError.invalidTarget("resource must be one of the app's resources in the configuration")
        }
        let issued = Int(clock.date.timeIntervalSince1970)
        let claims = ClientTokenClaims(
            sub: clientID,
            iss: config.server.issuer,
            aud: audience,
            exp: issued + Self.tokenLifetime,
            iat: issued,
            nbf: issued,
            jti: OTPCodes.randomID(),
            client_id: clientID,
            app_id: found.app.id,
            app_name: found.app.name,
            scope: "openid offline_access",
            token_use: "client"
        )
        return ClientToken(accessToken: try await tokenIssuer().sign(claims), expiresIn: Self.tokenLifetime)
    }

    /// The client a Bearer token was issued to.
    /// - Throws: ``ClientAuthError/invalidToken(_:)``.
    package func authenticateClient(bearer token: String) async throws -> ClientContext {
        let issuer: TokenIssuer
        do { issuer = try await tokenIssuer() } catch { throw ClientAuthError.invalidToken("the signing key is not available") }
        let claims = try await issuer.verifyClientToken(token, now: clock.date)
        return try client(named: claims)
    }

    /// The configured client a verified token names. Never inlined: the copies of the client's
    /// settings it makes would otherwise take room in the frame of `authenticateClient`, which
    /// every Mosaic request runs.
    @inline(never)
    private func client(named claims: ClientTokenClaims) throws(ClientAuthError) -> ClientContext {
        guard let found = config.client(claims.client_id), found.app.id == claims.app_id else {
            throw .invalidToken("the token's client is no longer configured")
        }
        guard Self.clientTokenAudiences(of: found.app).contains(claims.aud) else {
            throw .invalidToken("the token is for another audience")
        }
        return ClientContext(clientID: claims.client_id, app: found.app)
    }

    /// The `aud` values this server issues client tokens of `app` with, and so accepts on them.
    static func clientTokenAudiences(of app: AppSettings) -> [String] {
        [apiAudience] + app.resources
    }
}
