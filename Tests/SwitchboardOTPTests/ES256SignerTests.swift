import Crypto
import Foundation
import JWTKit
import SwitchboardCore
import SwitchboardStore
import Testing

@testable import SwitchboardOTP

/// The tokens the issuer signs itself are ES256 JWTs that jwt-kit reads as its own.
@Suite("Token signing")
struct ES256SignerTests {
    static let issuerName = "https://login.example.test"

    /// The issuer, and a jwt-kit collection holding only its public key.
    private func issuerAndChecker() async throws -> (TokenIssuer, JWTKeyCollection) {
        let issuer = try await TokenIssuer.load(store: MemoryLoginStore(), issuer: Self.issuerName)
        let jwk = try #require(issuer.jwks.keys.first)
        let checker = JWTKeyCollection()
        let x = try #require(Data(base64URL: jwk.x))
        let y = try #require(Data(base64URL: jwk.y))
        let publicKey = try P256.Signing.PublicKey(rawRepresentation: x + y)
        await checker.add(ecdsa: try ES256PublicKey(backing: publicKey), kid: JWKIdentifier(string: issuer.kid))
        return (issuer, checker)
    }

    @Test func aClientTokenReadsBackWithEveryClaim() async throws {
        let (issuer, checker) = try await issuerAndChecker()
        for nbf in [nil, 1_700_000_000] as [Int?] {
            let claims = ClientTokenClaims(
                sub: "backend", iss: Self.issuerName, aud: "userid-api", exp: 1_700_003_600, iat: 1_700_000_000, nbf: nbf, jti: "j\"1/\\",
                client_id: "backend", app_id: "demo", app_name: "Démo \u{1F600}", scope: "openid offline_access", token_use: "client"
            )
            let token = try issuer.sign(claims)
            let read = try await checker.verify(token, as: ClientTokenClaims.self)
            #expect(read == claims)
        }
    }

    @Test func userTokensReadBackWithEveryClaim() async throws {
        let (issuer, checker) = try await issuerAndChecker()
        let id = IDTokenClaims(
            iss: Self.issuerName, sub: "user-1", aud: "backend", exp: 1_700_003_600, iat: 1_700_000_000, auth_time: 1_699_999_999,
            amr: ["sms"], phone_number: "+447700900123", phone_number_verified: true, approval_data: ["b": "2", "a": "1\n"],
            app_name: "Demo", sid: "session-1"
        )
        let readID = try await checker.verify(try issuer.sign(id), as: IDTokenClaims.self)
        #expect(readID == id)
        var bare = id
        bare.phone_number = nil
        bare.approval_data = nil
        bare.phone_number_verified = false
        let bareToken = try issuer.sign(bare)
        let readBare = try await checker.verify(bareToken, as: IDTokenClaims.self)
        #expect(readBare == bare)
        let payload = try #require(Data(base64URL: String(bareToken.split(separator: ".")[1])))
        let object = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        // Left out, as JSONEncoder leaves out nil fields, rather than written as null.
        #expect(object["phone_number"] == nil)
        #expect(object["approval_data"] == nil)

        let access = AccessTokenClaims(
            sub: "user-1", iss: Self.issuerName, aud: "userid-api", exp: 1_700_003_600, iat: 1_700_000_000, jti: "jti-1",
            client_id: "backend", app_id: "demo", app_name: "Demo", scope: "openid offline_access", sid: "session-1"
        )
        let readAccess = try await checker.verify(try issuer.sign(access), as: AccessTokenClaims.self)
        #expect(readAccess == access)
    }

    @Test func theHeaderNamesTheAlgorithmTheKeyAndTheType() async throws {
        let (issuer, _) = try await issuerAndChecker()
        let token = try issuer.sign(
            AccessTokenClaims(
                sub: "u", iss: Self.issuerName, aud: "a", exp: 2, iat: 1, jti: "j", client_id: "c", app_id: "d", app_name: "D", scope: "s", sid: "s"
            )
        )
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        let header = try #require(Data(base64URL: String(parts[0])))
        let object = try #require(try JSONSerialization.jsonObject(with: header) as? [String: String])
        #expect(object == ["alg": "ES256", "kid": issuer.kid, "typ": "JWT"])
        // r ‖ s: 64 bytes.
        let signature = try #require(Data(base64URL: String(parts[2])))
        #expect(signature.count == 64)
    }

    @Test func aTokenWithAChangedClaimIsRefused() async throws {
        let (issuer, checker) = try await issuerAndChecker()
        let token = try issuer.sign(
            AccessTokenClaims(
                sub: "u", iss: Self.issuerName, aud: "a", exp: 2, iat: 1, jti: "j", client_id: "c", app_id: "d", app_name: "D", scope: "s", sid: "s"
            )
        )
        let parts = token.split(separator: ".").map(String.init)
        let payload = try #require(Data(base64URL: parts[1]))
        let changed = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: #""sub":"u""#, with: #""sub":"admin""#)
        #expect(changed.contains(#""sub":"admin""#))
        await #expect(throws: (any Error).self) {
            _ = try await checker.verify([parts[0], Base64URL.encode(Array(changed.utf8)), parts[2]].joined(separator: "."), as: AccessTokenClaims.self)
        }
    }
}
