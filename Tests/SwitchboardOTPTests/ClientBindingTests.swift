import Foundation
import HTTPTypes
import JWTKit
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardOTP

/// Sessions, refresh tokens and client tokens belong to the client they were issued to.
@Suite("Client binding")
struct ClientBindingTests {
    func logout(_ client: OTPTest.Client, _ token: String, _ session: String) async throws -> OTPTest.Reply {
        try await client.post("/cis/v1/auth/session/logout", token: token, #"{"session_id": "\#(session)"}"#)
    }

    @Test func anotherClientsRefreshIsAnsweredAsAnUnknownTokenAndNeverSwitchesTheAudience() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(OTPTest.yamlWithSibling())) { client in
            let (token, tokens) = try await client.logIn()
            let first = try #require(tokens["refresh_token"] as? String)
            let sibling = try await client.clientToken(id: OTPTest.siblingID, secret: OTPTest.siblingSecret)
            let stolen = try await client.refresh(sibling, first)
            let unknown = try await client.refresh(sibling, "no-such-refresh-token")
            #expect(stolen.status == .badRequest)
            #expect(stolen.status == unknown.status)
            #expect(stolen.text == unknown.text)
            // It changed nothing: the owner still refreshes, and the new tokens are still the owner's.
            let owned = try await client.refresh(token, first)
            #expect(owned.status == .ok)
            let keys = try await JWTKeyCollection().add(jwksJSON: try await client.get("/cis/oidc/jwks").text)
            let idToken = try await keys.verify(try #require(owned.json["id_token"] as? String), as: RelyingPartyIDToken.self)
            #expect(idToken.aud == OTPTest.clientID)
            let access = try await keys.verify(try #require(owned.json["access_token"] as? String), as: RelyingPartyAccessToken.self)
            #expect(access.client_id == OTPTest.clientID)
            // The sibling replaying the rotated token is no reuse either: the session lives on.
            #expect(try await client.refresh(sibling, first).text == unknown.text)
            let second = try #require(owned.json["refresh_token"] as? String)
            #expect(try await client.refresh(token, second).status == .ok)
        }
    }

    @Test func anotherClientsLogoutIsAnsweredAsAnUnknownSessionAndEndsNothing() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(OTPTest.yamlWithSibling())) { client in
            let (token, tokens) = try await client.logIn()
            let session = try #require(tokens["session_id"] as? String)
            let refreshToken = try #require(tokens["refresh_token"] as? String)
            let sibling = try await client.clientToken(id: OTPTest.siblingID, secret: OTPTest.siblingSecret)
            let other = try await client.clientToken(id: OTPTest.otherID, secret: OTPTest.otherSecret)
            let unknown = try await logout(client, sibling, "no-such-session")
            #expect(unknown.status == .notFound)
            for intruder in [sibling, other] {
                let refused = try await logout(client, intruder, session)
                #expect(refused.status == unknown.status)
                #expect(refused.text == unknown.text)
            }
            #expect(try await client.refresh(token, refreshToken).status == .ok)
            // Once it has ended, the others are still told it does not exist.
            #expect(try await logout(client, token, session).status == .noContent)
            #expect(try await logout(client, sibling, session).text == unknown.text)
        }
    }

    @Test func logoutOfASessionRevokedByRefreshTokenReuseIsIdempotent() async throws {
        try await OTPTest.withApp { client in
            let (token, tokens) = try await client.logIn()
            let session = try #require(tokens["session_id"] as? String)
            let first = try #require(tokens["refresh_token"] as? String)
            #expect(try await client.refresh(token, first).status == .ok)
            // The replay revokes the session.
            #expect(try await client.refresh(token, first).status == .badRequest)
            let out = try await logout(client, token, session)
            #expect(out.status == .noContent)
            #expect(out.text.isEmpty)
            #expect(try await logout(client, token, session).status == .noContent)
        }
    }

    @Test func aClientTokenForAnotherAudienceIsNeitherIssuedNorAccepted() async throws {
        let login: any LoginStore = MemoryLoginStore()
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock, login: login) { client in
            let refused = try await client.form(
                "/oidc/token", "client_id=\(OTPTest.clientID)&client_secret=\(OTPTest.clientSecret)&grant_type=client_credentials&resource=evil"
            )
            #expect(refused.status == .badRequest)
            #expect(refused.json["error"] as? String == "invalid_target")

            // Signed with the server's own key, so only the claims can tell.
            let issuer = try await TokenIssuer.load(store: login, issuer: "https://login.example.test")
            let now = Int(clock.date.timeIntervalSince1970)
            func token(aud: String = "userid-api", nbf: Int? = nil) async throws -> String {
                try issuer.sign(
                    ClientTokenClaims(
                        sub: OTPTest.clientID, iss: "https://login.example.test", aud: aud, exp: now + 3600, iat: now, nbf: nbf, jti: UUID().uuidString,
                        client_id: OTPTest.clientID, app_id: "demo", app_name: "Demo", scope: "openid offline_access", token_use: "client"
                    )
                )
            }
            let path = "/cis/v1/users/phone-number/+447700900123"
            #expect(try await client.get(path, token: try await token()).status == .notFound)
            let evil = try await client.get(path, token: try await token(aud: "evil"))
            #expect(evil.status == .unauthorized)
            #expect(evil.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            // A token not valid yet is refused on every use, also once its signature is known good,
            // until its time comes.
            let early = try await token(nbf: now + 60)
            #expect(try await client.get(path, token: early).status == .unauthorized)
            #expect(try await client.get(path, token: early).status == .unauthorized)
            clock.advance(by: .seconds(59))
            #expect(try await client.get(path, token: early).status == .unauthorized)
            clock.advance(by: .seconds(1))
            #expect(try await client.get(path, token: early).status == .notFound)
        }
    }

    @Test func issuedClientTokensCarryNotBefore() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let payload = try #require(Data(base64URL: String(token.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            #expect(claims["nbf"] as? Int == claims["iat"] as? Int)
            #expect(claims["aud"] as? String == "userid-api")
        }
    }
}
