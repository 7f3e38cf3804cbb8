package import JWTKit

/// Claims of a client access token (`POST /oidc/token`).
package struct ClientTokenClaims: JWTPayload, Equatable {
    package var sub: String
    package var iss: String
    package var aud: String
    package var exp: Int
    package var iat: Int
    /// Absent from tokens issued before it was added; those are valid from `iat`.
    package var nbf: Int?
    package var jti: String
    package var client_id: String
    package var app_id: String
    package var app_name: String
    package var scope: String
    /// Marks the token as a client token: user tokens signed with the same key are refused as Bearer.
    package var token_use: String

    /// Checked by ``TokenIssuer`` against its own clock, so that tests can move time.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Claims of a user's id_token.
package struct IDTokenClaims: JWTPayload, Equatable {
    package var iss: String
    package var sub: String
    package var aud: String
    package var exp: Int
    package var iat: Int
    package var auth_time: Int
    package var amr: [String]
    package var phone_number: String?
    package var phone_number_verified: Bool
    package var approval_data: [String: String]?
    package var app_name: String
    package var sid: String

    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Claims of a user access token.
package struct AccessTokenClaims: JWTPayload, Equatable {
    package var sub: String
    package var iss: String
    package var aud: String
    package var exp: Int
    package var iat: Int
    package var jti: String
    package var client_id: String
    package var app_id: String
    package var app_name: String
    package var scope: String
    package var sid: String

    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}
