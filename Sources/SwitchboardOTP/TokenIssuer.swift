import Crypto
package import Foundation
import JWTKit
package import SwitchboardCore

/// Signs and checks the tokens: ES256 with one key, created on first start and kept in the store.
package struct TokenIssuer: Sendable {
    /// The name the signing key is kept under in the ``SecretStore``.
    static let keyName = "token-signing-key.es256"

    /// Checks client tokens.
    private let keys: JWTKeyCollection
    private let signer: ES256Signer
    private let verifiedClientTokens = VerifiedClientTokens()
    /// The `kid` of the signing key: derived from its public key, so it is stable across restarts.
    package let kid: String
    /// The public key as a JWK set (`GET /cis/oidc/jwks`).
    package let jwks: JWKSDocument
    package let issuer: String

    /// Loads the signing key from the store, creating it on first use.
    package static func load(store: any SecretStore, issuer: String) async throws -> TokenIssuer {
        let candidate = Array(P256.Signing.PrivateKey().rawRepresentation)
        let raw = try await store.secret(named: keyName, orInsert: candidate)
        let privateKey = try P256.Signing.PrivateKey(rawRepresentation: raw)
        let publicRaw = privateKey.publicKey.rawRepresentation  // x ‖ y, 32 bytes each
        let kid = Data(SHA256.hash(data: publicRaw)).base64URLEncoded.prefix(22)
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: privateKey), kid: JWKIdentifier(string: String(kid)))
        let jwk = JWKSDocument.Key(
            kty: "EC", crv: "P-256", kid: String(kid), use: "sig", alg: "ES256",
            x: Data(publicRaw.prefix(32)).base64URLEncoded, y: Data(publicRaw.suffix(32)).base64URLEncoded
        )
        return TokenIssuer(
            keys: keys, signer: ES256Signer(key: privateKey, kid: String(kid)), kid: String(kid), jwks: JWKSDocument(keys: [jwk]), issuer: issuer
        )
    }

    /// Signs claims with the key, `kid` in the header.
    package func sign(_ claims: some JWTClaimsWriting) throws -> String {
        try signer.sign(claims)
    }

    /// How far apart the clocks of the daemon that issued a token and the one that checks it may be.
    /// `nbf` and `exp` are judged with the same allowance, so a token is valid for as long as it says.
    static let clockLeeway: TimeInterval = 0

    /// Checks a client token's signature, issuer, kind, and that `now` is inside its `nbf`…`exp`.
    ///
    /// The signature, issuer and kind are checked once per token (see ``VerifiedClientTokens``);
    /// the times on every call, as they depend on `now`.
    /// - Throws: ``ClientAuthError/invalidToken(_:)`` saying what is wrong.
    package func verifyClientToken(_ token: String, now: Date) async throws(ClientAuthError) -> ClientTokenClaims {
        let claims: ClientTokenClaims
        if let known = verifiedClientTokens.claims(of: token) {
            claims = known
        } else {
            do {
                claims = try await keys.verify(token, as: ClientTokenClaims.self)
            } catch {
                throw .invalidToken("the token is not a client access token signed by this server")
            }
            guard claims.token_use == "client" else { throw .invalidToken("the token is not a client access token") }
            guard claims.iss == issuer else { throw .invalidToken("the token was issued by another issuer") }
            verifiedClientTokens.remember(token, claims)
        }
        let at = now.timeIntervalSince1970
        guard Double(claims.exp) + Self.clockLeeway > at else { throw .invalidToken("the token has expired") }
        if let nbf = claims.nbf, Double(nbf) - Self.clockLeeway > at { throw .invalidToken("the token is not valid yet") }
        return claims
    }
}

/// A JSON Web Key Set of EC public keys.
package struct JWKSDocument: Sendable, Codable, Equatable {
    package struct Key: Sendable, Codable, Equatable {
        package var kty: String
        package var crv: String
        package var kid: String
        package var use: String
        package var alg: String
        package var x: String
        package var y: String
    }

    package var keys: [Key]
}
