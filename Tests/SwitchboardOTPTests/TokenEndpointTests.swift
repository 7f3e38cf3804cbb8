import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `POST /oidc/token` as the README's table has it: form or HTTP Basic client credentials, the
/// OAuth error shapes, and `expires_in: 3600`; discovery and the JWKS that verifies what it issues.
@Suite("/oidc/token and discovery", .timeLimit(.minutes(3)))
struct TokenEndpointTests {
    static func basic(_ client: OTPTest.Client, id: String, secret: String, form: String) async throws -> OTPTest.Reply {
        let credentials = Data("\(id):\(secret)".utf8).base64EncodedString()
        return OTPTest.Reply(
            try await client.http.execute(
                uri: "/oidc/token", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic \(credentials)"],
                body: ByteBuffer(string: form)
            )
        )
    }

    static func expectOAuthError(
        _ reply: OTPTest.Reply, _ status: HTTPResponse.Status, _ error: String, _ description: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(Set(reply.json.keys) == ["error", "error_description"], "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.json["error"] as? String == error, sourceLocation: sourceLocation)
        #expect(reply.json["error_description"] as? String == description, sourceLocation: sourceLocation)
        #expect(reply.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
    }

    @Test func basicCredentialsGetAnHourLongToken() async throws {
        try await OTPTest.withApp { client in
            let reply = try await Self.basic(client, id: OTPTest.clientID, secret: OTPTest.clientSecret, form: "grant_type=client_credentials")
            #expect(reply.status == .ok)
            #expect(reply.headers[.cacheControl] == "no-store")
            #expect(reply.json["token_type"] as? String == "Bearer")
            #expect(reply.json["expires_in"] as? Int == 3600)
            let token = try #require(reply.json["access_token"] as? String)
            let payload = try #require(Data(base64URL: String(token.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            #expect(claims["client_id"] as? String == OTPTest.clientID)
            #expect(claims["aud"] as? String == "userid-api")
            let issuedAt = try #require(claims["iat"] as? Int)
            #expect(claims["exp"] as? Int == issuedAt + 3600)
            // The token is a working client token.
            #expect(try await client.get("/cis/v1/users/phone-number/\(OTPTest.phone)", token: token).status == .notFound)
        }
    }

    @Test func basicCredentialsWithAWrongSecretAre401InvalidClient() async throws {
        try await OTPTest.withApp { client in
            let reply = try await Self.basic(client, id: OTPTest.clientID, secret: "wrong-secret-0123456789", form: "grant_type=client_credentials")
            Self.expectOAuthError(reply, .unauthorized, "invalid_client", "client authentication failed")
            #expect(reply.headers[.wwwAuthenticate] == #"Basic realm="switchboard""#)
        }
    }

    @Test func noCredentialsAtAllAre401InvalidClient() async throws {
        try await OTPTest.withApp { client in
            let reply = try await client.form("/oidc/token", "grant_type=client_credentials")
            Self.expectOAuthError(reply, .unauthorized, "invalid_client", "client_id and client_secret are required")
        }
    }

    @Test func anotherGrantIs400UnsupportedGrantTypeEvenWithGoodCredentials() async throws {
        try await OTPTest.withApp { client in
            let form = try await client.form(
                "/oidc/token", "client_id=\(OTPTest.clientID)&client_secret=\(OTPTest.clientSecret)&grant_type=authorization_code"
            )
            Self.expectOAuthError(form, .badRequest, "unsupported_grant_type", "only grant_type=client_credentials is supported")
            let basic = try await Self.basic(client, id: OTPTest.clientID, secret: OTPTest.clientSecret, form: "grant_type=password")
            Self.expectOAuthError(basic, .badRequest, "unsupported_grant_type", "only grant_type=client_credentials is supported")
        }
    }

    @Test func discoveryNamesTheTokenEndpointAndItsAuthMethods() async throws {
        try await OTPTest.withApp { client in
            let reply = try await client.get("/.well-known/openid-configuration")
            #expect(reply.status == .ok)
            #expect(reply.json["token_endpoint"] as? String == "https://login.example.test/oidc/token")
            #expect(reply.json["grant_types_supported"] as? [String] == ["client_credentials"])
            #expect(reply.json["token_endpoint_auth_methods_supported"] as? [String] == ["client_secret_post", "client_secret_basic"])
            #expect(reply.json["subject_types_supported"] as? [String] == ["public"])
        }
    }

    @Test func theJWKSAtTheDiscoveredAddressVerifiesAClientToken() async throws {
        try await OTPTest.withApp { client in
            let discovery = try await client.get("/.well-known/openid-configuration").json
            let jwksURI = try #require(discovery["jwks_uri"] as? String)
            let issuer = try #require(discovery["issuer"] as? String)
            #expect(jwksURI.hasPrefix(issuer))
            let jwks = try await client.get(String(jwksURI.dropFirst(issuer.count)))
            #expect(jwks.status == .ok)
            let keys = try await JWTKeyCollection().add(jwksJSON: jwks.text)
            let token = try await client.clientToken()
            let claims = try await keys.verify(token, as: RelyingPartyAccessToken.self)
            #expect(claims.iss == issuer)
            #expect(claims.sub == OTPTest.clientID)
            // A token signed by another key under the same kid does not verify.
            let header = try #require(Data(base64URL: String(token.split(separator: ".")[0])))
            let kid = try #require((try JSONSerialization.jsonObject(with: header) as? [String: Any])?["kid"] as? String)
            let forger = await JWTKeyCollection().add(ecdsa: ES256PrivateKey(), kid: JWKIdentifier(string: kid))
            let forged = try await forger.sign(claims, kid: JWKIdentifier(string: kid))
            await #expect(throws: JWTError.self) { try await keys.verify(forged, as: RelyingPartyAccessToken.self) }
        }
    }
}
