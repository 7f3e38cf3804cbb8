import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite("OTP login end to end")
struct EndToEndTests {
    /// The seed's flow with its exact bodies, over real HTTP against a listening server.
    @Test func seedFlowOverHTTP() async throws {
        let logs = LogRecords()
        let secrets = Secrets()
        try await OTPTest.withApp(logger: logs.logger(label: "otp-test"), testing: .live) { client in
            // Client token, as the sample's token helper asks for it.
            let tokenReply = try await client.form(
                "/oidc/token", "client_id=\(OTPTest.clientID)&client_secret=\(OTPTest.clientSecret)&grant_type=client_credentials"
            )
            #expect(tokenReply.status == .ok)
            #expect(tokenReply.json["token_type"] as? String == "Bearer")
            #expect(tokenReply.json["expires_in"] as? Int == 3600)
            let token = try #require(tokenReply.json["access_token"] as? String)

            // Step 1: sign up.
            let created = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "\#(OTPTest.phone)"}"#)
            #expect(created.status == .created)
            let user = try #require(created.json["result"] as? [String: Any])
            let userID = try #require(user["user_id"] as? String)
            #expect(user["status"] as? String == "Active")
            #expect(user["created_at"] is Int)
            let phoneObject = try #require(user["phone_number"] as? [String: Any])
            #expect(phoneObject["value"] as? String == OTPTest.phone)
            #expect(phoneObject["phone_number_verified"] as? Bool == false)

            // Step 2: send.
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"}"#
            )
            #expect(sent.status == .ok)
            #expect(sent.text == #"{"message":"OTP sent"}"#)
            let message = try #require(try await client.inbox.latestInbox(to: OTPTest.phone, limit: 1).first)
            #expect(message.text.hasSuffix(" is your Demo code."))
            let code = try await client.latestCode()

            // Step 3: authenticate.
            let authenticated = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(code)", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"}"#
            )
            #expect(authenticated.status == .ok)
            let body = authenticated.json
            #expect(Set(body.keys) == ["access_token", "id_token", "refresh_token", "token_type", "expires_in", "session_id"])
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 3600)
            let idToken = try #require(body["id_token"] as? String)
            let accessToken = try #require(body["access_token"] as? String)

            // Validate as the sample does: fetch the JWKS, pick the key by kid, check the signature.
            let jwksReply = try await client.get("/cis/oidc/jwks")
            #expect(jwksReply.status == .ok)
            let keys = try await JWTKeyCollection().add(jwksJSON: jwksReply.text)
            let claims = try await keys.verify(idToken, as: RelyingPartyIDToken.self)
            #expect(claims.iss == "https://login.example.test")
            #expect(claims.sub == userID)
            #expect(claims.aud == OTPTest.clientID)
            #expect(claims.amr == ["sms"])
            #expect(claims.phone_number == OTPTest.phone)
            #expect(claims.phone_number_verified)
            #expect(claims.exp - claims.iat == 3600)
            let header = try #require(idToken.split(separator: ".").first)
            let headerJSON = try #require(Data(base64URL: String(header)))
            let kid = try #require((try JSONSerialization.jsonObject(with: headerJSON) as? [String: Any])?["kid"] as? String)
            #expect(jwksReply.text.contains(kid))
            let access = try await keys.verify(accessToken, as: RelyingPartyAccessToken.self)
            #expect(access.sub == userID)
            #expect(access.client_id == OTPTest.clientID)
            #expect(!access.jti.isEmpty)

            // A forged token (signed by another key) does not verify against the JWKS.
            let otherKeys = await JWTKeyCollection().add(ecdsa: ES256PrivateKey(), kid: JWKIdentifier(string: kid))
            let forged = try await otherKeys.sign(claims, kid: JWKIdentifier(string: kid))
            await #expect(throws: JWTError.signatureVerificationFailed) { try await keys.verify(forged, as: RelyingPartyIDToken.self) }

            // The phone number is verified now.
            let lookedUp = try await client.get("/cis/v1/users/phone-number/\(OTPTest.phone)", token: token)
            #expect(lookedUp.status == .ok)
            let lookedUpUser = try #require(lookedUp.json["result"] as? [String: Any])
            #expect((lookedUpUser["phone_number"] as? [String: Any])?["phone_number_verified"] as? Bool == true)

            // The code was single use.
            #expect(try await client.authenticate(token, code: code).status == .badRequest)
            secrets.record([token, code, idToken, accessToken, body["refresh_token"] as? String ?? "?", OTPTest.clientSecret])
        }
        // Logs never hold a code, a secret, a token or a whole phone number.
        let lines = logs.lines
        #expect(!lines.isEmpty)
        for secret in secrets.values {
            #expect(!lines.contains { $0.contains(secret) }, "a log line contains a secret value")
        }
        #expect(!lines.contains { $0.contains(OTPTest.phone) || $0.contains("7700900123") }, "a log line contains the phone number")
        #expect(lines.contains { $0.contains("+44*******123") })
    }

    @Test func discoveryDocumentPointsAtTheJWKS() async throws {
        try await OTPTest.withApp { client in
            let reply = try await client.get("/.well-known/openid-configuration")
            #expect(reply.status == .ok)
            #expect(reply.json["issuer"] as? String == "https://login.example.test")
            #expect(reply.json["jwks_uri"] as? String == "https://login.example.test/cis/oidc/jwks")
            #expect(reply.json["id_token_signing_alg_values_supported"] as? [String] == ["ES256"])
            let jwks = try await client.get("/cis/oidc/jwks").json
            let key = try #require((jwks["keys"] as? [[String: Any]])?.first)
            #expect(key["kty"] as? String == "EC")
            #expect(key["alg"] as? String == "ES256")
            #expect(key["d"] == nil)
        }
    }
}

/// Values gathered inside a test body, checked after it.
final class Secrets: Sendable {
    private let stored = Mutex<[String]>([])
    func record(_ values: [String]) { stored.withLock { $0.append(contentsOf: values) } }
    var values: [String] { stored.withLock { $0 } }
}

import Synchronization

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}

@Suite("Token details")
struct TokenDetailTests {
    @Test func resourceBasicAuthAndApprovalData() async throws {
        let yaml = OTPTest.yaml(demo: "    resources: [https://api.example.test]")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            // HTTP Basic client authentication and `resource`, which becomes the client token's `aud`.
            let basic = Data("\(OTPTest.clientID):\(OTPTest.clientSecret)".utf8).base64EncodedString()
            let reply = OTPTest.Reply(
                try await client.http.execute(
                    uri: "/oidc/token", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic \(basic)"],
                    body: ByteBuffer(string: "grant_type=client_credentials&resource=https%3A%2F%2Fapi.example.test")
                )
            )
            #expect(reply.status == .ok)
            let token = try #require(reply.json["access_token"] as? String)
            let keys = try await JWTKeyCollection().add(jwksJSON: try await client.get("/cis/oidc/jwks").text)
            let clientClaims = try await keys.verify(token, as: RelyingPartyAccessToken.self)
            #expect(clientClaims.aud == "https://api.example.test")
            #expect(clientClaims.sub == OTPTest.clientID)

            _ = try await client.createUser(token)
            _ = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "+447700900123", "identifier_type": "phone_number", "approval_data": {"payment": "42.00"}}"#
            )
            let code = try await client.latestCode()
            let tokens = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(code)", "identifier": "+447700900123", "identifier_type": "phone_number", "resource": "https://api.example.test"}"#
            ).json
            let idToken = try #require(tokens["id_token"] as? String)
            let payload = try #require(Data(base64URL: String(idToken.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            #expect(claims["approval_data"] as? [String: String] == ["payment": "42.00"])
            let access = try await keys.verify(try #require(tokens["access_token"] as? String), as: RelyingPartyAccessToken.self)
            #expect(access.aud == "https://api.example.test")
        }
    }
}
