import Foundation
import SwitchboardCore

extension LoginService {
    /// Signs the access and id tokens. `refreshToken` is stored already: with the session, or as a
    /// rotation's replacement. Never inlined: the claims would otherwise take room in the frame of
    /// a login or a refresh from its first suspension on, where this runs only after its last.
    @inline(never)
    func issueTokens(
        user: LoginUser,
        session: UserSession,
        client: ClientContext,
        resource: String?,
        approvalData: [String: String]?,
        authTime: Date,
        refreshToken: String
    ) async throws -> TokenSet {
        let issuer = try await tokenIssuer()
        let iat = Int(clock.date.timeIntervalSince1970)
        let id = IDTokenClaims(
            iss: config.server.issuer,
            sub: user.id,
            aud: client.clientID,
            exp: iat + Self.tokenLifetime,
            iat: iat,
            auth_time: Int(authTime.timeIntervalSince1970),
            amr: ["sms"],
            phone_number: user.phoneNumber,
            phone_number_verified: user.phoneNumberVerified,
            approval_data: approvalData,
            app_name: client.app.name,
            sid: session.id
        )
        let access = AccessTokenClaims(
            sub: user.id,
            iss: config.server.issuer,
            aud: resource ?? "userid-api",
            exp: iat + Self.tokenLifetime,
            iat: iat,
            jti: OTPCodes.randomID(),
            client_id: client.clientID,
            app_id: client.app.id,
            app_name: client.app.name,
            scope: "openid offline_access",
            sid: session.id
        )
        return TokenSet(
            accessToken: try issuer.sign(access),
            idToken: try issuer.sign(id),
            refreshToken: refreshToken,
            expiresIn: Self.tokenLifetime,
            sessionID: session.id
        )
    }
}
