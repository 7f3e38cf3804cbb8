import Foundation
import HTTPTypes
import JWTKit
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `session_id` on otp/authenticate: a login that names a live session of the same user, opened by
/// the same client, continues it instead of opening a new one; anything else is refused.
@Suite("session_id on otp/authenticate", .timeLimit(.minutes(3)))
struct SessionContinuationTests {
    /// No resend cooldown, so each test can send as many codes as it logs in.
    static let yaml = OTPTest.yamlWithSibling().replacingOccurrences(of: "resend_after: 30s, max_sends_per_hour: 5", with: "resend_after: 0s, max_sends_per_hour: 100")
    static let refused = "session_id does not name a live session of this user"

    /// A fresh code for `phone`, and the authenticate answer for it with these extra fields.
    static func authenticate(_ client: OTPTest.Client, token: String, phone: String = OTPTest.phone, extra: String) async throws -> OTPTest.Reply {
        #expect(try await client.send(token, phone: phone).status == .ok)
        let code = try await client.latestCode(to: phone)
        return try await client.post(
            "/cis/v1/auth/otp/authenticate", token: token,
            #"{"passcode": "\#(code)", "identifier": "\#(phone)", "identifier_type": "phone_number"\#(extra)}"#
        )
    }

    @Test func aLiveSessionOfTheUserIsContinued() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let (token, first) = try await client.logIn()
            let session = try #require(first["session_id"] as? String)
            let firstRefresh = try #require(first["refresh_token"] as? String)

            let again = try await Self.authenticate(client, token: token, extra: #", "session_id": "\#(session)""#)
            #expect(again.status == .ok)
            #expect(again.json["session_id"] as? String == session)
            let keys = try await JWTKeyCollection().add(jwksJSON: try await client.get("/cis/oidc/jwks").text)
            let idToken = try #require(again.json["id_token"] as? String)
            _ = try await keys.verify(idToken, as: RelyingPartyIDToken.self)
            let payload = try #require(Data(base64URL: String(idToken.split(separator: ".")[1])))
            #expect((try JSONSerialization.jsonObject(with: payload) as? [String: Any])?["sid"] as? String == session)
            let secondRefresh = try #require(again.json["refresh_token"] as? String)
            #expect(secondRefresh != firstRefresh)

            // The new refresh token works, and belongs to the continued session: ending that session ends it.
            let refreshed = try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(secondRefresh)"}"#)
            #expect(refreshed.status == .ok)
            let thirdRefresh = try #require(refreshed.json["refresh_token"] as? String)
            let out = try await client.post("/cis/v1/auth/session/logout", token: token, #"{"session_id": "\#(session)"}"#)
            #expect(out.status == .noContent)
            let ended = try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(thirdRefresh)"}"#)
            #expect(ended.status == .badRequest)
            #expect(ended.json["error_code"] as? String == "invalid_refresh_token")
        }
    }

    @Test func withoutSessionIDEachLoginOpensItsOwnSession() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let (token, first) = try await client.logIn()
            let session = try #require(first["session_id"] as? String)
            let second = try await Self.authenticate(client, token: token, extra: "")
            #expect(second.status == .ok)
            let other = try #require(second.json["session_id"] as? String)
            #expect(other != session)
            // Separate sessions: ending the first leaves the second's refresh token working.
            #expect(try await client.post("/cis/v1/auth/session/logout", token: token, #"{"session_id": "\#(session)"}"#).status == .noContent)
            let refresh = try #require(second.json["refresh_token"] as? String)
            #expect(try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(refresh)"}"#).status == .ok)
        }
    }

    @Test func anUnknownSessionIsRefused() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await Self.authenticate(client, token: token, extra: #", "session_id": "no-such-session""#)
            Self.expectRefused(reply)
        }
    }

    @Test func aRefusedSessionLeavesTheCodeUnused() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token, phone: OTPTest.phone).status == .ok)
            let code = try await client.latestCode(to: OTPTest.phone)
            let body = #"{"passcode": "\#(code)", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number""#
            let refused = try await client.post("/cis/v1/auth/otp/authenticate", token: token, body + #", "session_id": "no-such-session"}"#)
            Self.expectRefused(refused)
            let accepted = try await client.post("/cis/v1/auth/otp/authenticate", token: token, body + "}")
            #expect(accepted.status == .ok)
            #expect(accepted.json["access_token"] is String)
        }
    }

    @Test func anotherClientsSessionIsRefusedAndKeepsWorking() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let (_, first) = try await client.logIn()
            let session = try #require(first["session_id"] as? String)
            let sibling = try await client.clientToken(id: OTPTest.siblingID, secret: OTPTest.siblingSecret)
            let reply = try await Self.authenticate(client, token: sibling, extra: #", "session_id": "\#(session)""#)
            Self.expectRefused(reply)
            // The other client's session is untouched: its own client may still end it.
            let owner = try await client.clientToken()
            #expect(try await client.post("/cis/v1/auth/session/logout", token: owner, #"{"session_id": "\#(session)"}"#).status == .noContent)
        }
    }

    @Test func anotherUsersSessionIsRefused() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let (token, first) = try await client.logIn()
            let session = try #require(first["session_id"] as? String)
            let grace = "+447700900456"
            _ = try await client.createUser(token, phone: grace)
            let reply = try await Self.authenticate(client, token: token, phone: grace, extra: #", "session_id": "\#(session)""#)
            Self.expectRefused(reply)
        }
    }

    @Test func anEndedSessionIsRefused() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml)) { client in
            let (token, first) = try await client.logIn()
            let session = try #require(first["session_id"] as? String)
            #expect(try await client.post("/cis/v1/auth/session/logout", token: token, #"{"session_id": "\#(session)"}"#).status == .noContent)
            let reply = try await Self.authenticate(client, token: token, extra: #", "session_id": "\#(session)""#)
            Self.expectRefused(reply)
        }
    }

    static func expectRefused(_ reply: OTPTest.Reply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .badRequest, sourceLocation: sourceLocation)
        #expect(reply.json["error_code"] as? String == "system_invalid_input", sourceLocation: sourceLocation)
        #expect(reply.json["message"] as? String == refused, sourceLocation: sourceLocation)
        #expect(reply.json["access_token"] == nil, sourceLocation: sourceLocation)
    }
}
