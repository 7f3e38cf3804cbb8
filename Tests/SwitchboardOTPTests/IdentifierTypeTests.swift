import Foundation
import HTTPTypes
import JWTKit
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// A user named by `user_id`, `username` or `email` gets the code on the phone number the user has,
/// and logs in with the same kind of identifier.
@Suite("identifier_type other than phone_number", .timeLimit(.minutes(3)))
struct IdentifierTypeTests {
    static let otherPhone = "+447700900456"

    @Test(arguments: ["user_id", "username", "email"])
    func sendAndAuthenticateFindTheUserByTheIdentifier(type: String) async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let created = try await client.post(
                "/cis/v1/users", token: token,
                #"{"phone_number": "\#(OTPTest.phone)", "username": "ada1815", "email": "ada@example.com"}"#
            )
            #expect(created.status == .created)
            let userID = try #require((created.json["result"] as? [String: Any])?["user_id"] as? String)
            // A second user, so that a lookup that ignores the identifier cannot pass by luck.
            let decoy = try await client.post(
                "/cis/v1/users", token: token, #"{"phone_number": "\#(Self.otherPhone)", "username": "grace1906", "email": "grace@example.com"}"#
            )
            #expect(decoy.status == .created)
            let identifier = ["user_id": userID, "username": "ada1815", "email": "ada@example.com"][type] ?? "?"

            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "\#(identifier)", "identifier_type": "\#(type)"}"#
            )
            #expect(sent.status == .ok)
            #expect(sent.text == #"{"message":"OTP sent"}"#)
            #expect(try await client.inboxCount() == 1)
            #expect(try await client.inboxCount(to: Self.otherPhone) == 0)

            let code = try await client.latestCode()
            let authenticated = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(code)", "identifier": "\#(identifier)", "identifier_type": "\#(type)"}"#
            )
            #expect(authenticated.status == .ok)
            let idToken = try #require(authenticated.json["id_token"] as? String)
            let keys = try await JWTKeyCollection().add(jwksJSON: try await client.get("/cis/oidc/jwks").text)
            let claims = try await keys.verify(idToken, as: RelyingPartyIDToken.self)
            #expect(claims.sub == userID)
            #expect(claims.phone_number == OTPTest.phone)
        }
    }

    @Test func anEmailIsFoundWhateverItsCase() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let created = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "\#(OTPTest.phone)", "email": "ada@example.com"}"#)
            #expect(created.status == .created)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "Ada@Example.COM", "identifier_type": "email"}"#
            )
            #expect(sent.status == .ok)
            let authenticated = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(try await client.latestCode())", "identifier": "ADA@example.com", "identifier_type": "email"}"#
            )
            #expect(authenticated.status == .ok)
        }
    }

    @Test(arguments: ["user_id", "username", "email"])
    func anIdentifierNoUserHasIsUserNotFound(type: String) async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "nobody@example.com", "identifier_type": "\#(type)"}"#
            )
            #expect(sent.status == .notFound)
            #expect(sent.json["error_code"] as? String == "user_not_found")
            #expect(try await client.inboxCount() == 0)
        }
    }
}
