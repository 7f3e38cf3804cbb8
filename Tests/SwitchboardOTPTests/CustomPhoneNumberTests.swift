import Foundation
import HTTPTypes
import JWTKit
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `custom_phone_number` sends the code to another number than the user's, for this send only,
/// when the app allows it.
@Suite("custom_phone_number on otp/send", .timeLimit(.minutes(3)))
struct CustomPhoneNumberTests {
    static let custom = "+447700900789"
    static let allowing = OTPTest.yaml(demo: "    custom_phone_number: { allow: true, max_sends_per_hour: 2 }")

    @Test func theCodeGoesToTheGivenNumberAndLogsTheUserIn() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.allowing)) { client in
            let token = try await client.clientToken()
            let userID = try await client.createUser(token)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_phone_number": "\#(Self.custom)"}"#
            )
            #expect(sent.status == .ok)
            #expect(sent.text == #"{"message":"OTP sent"}"#)
            #expect(try await client.inboxCount(to: Self.custom) == 1)
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)

            let reply = try await client.authenticate(token, code: try await client.latestCode(to: Self.custom))
            #expect(reply.status == .ok)
            let keys = try await JWTKeyCollection().add(jwksJSON: try await client.get("/cis/oidc/jwks").text)
            let claims = try await keys.verify(try #require(reply.json["id_token"] as? String), as: RelyingPartyIDToken.self)
            #expect(claims.sub == userID)
            // The code reached another number, so it proves nothing about the user's own.
            #expect(claims.phone_number == OTPTest.phone)
            #expect(claims.phone_number_verified == false)
            let user = try await client.get("/cis/v1/users/phone-number/\(OTPTest.phone)", token: token)
            #expect((user.json["result"] as? [String: Any]).flatMap { $0["phone_number"] as? [String: Any] }?["phone_number_verified"] as? Bool == false)
        }
    }

    @Test func aUserWithoutAPhoneNumberCanBeSentACodeAtOne() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.allowing)) { client in
            let token = try await client.clientToken()
            let created = try await client.post("/cis/v1/users", token: token, #"{"username": "ada1815", "email": "ada@example.com"}"#)
            #expect(created.status == .created)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "ada1815", "identifier_type": "username", "custom_phone_number": "\#(Self.custom)"}"#
            )
            #expect(sent.status == .ok)
            let code = try await client.latestCode(to: Self.custom)
            let reply = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token, #"{"passcode": "\#(code)", "identifier": "ada1815", "identifier_type": "username"}"#
            )
            #expect(reply.status == .ok)
        }
    }

    @Test func anAppThatDoesNotAllowItRefusesItAndSendsNothing() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_phone_number": "\#(Self.custom)"}"#
            )
            #expect(sent.status == .badRequest)
            #expect(sent.json["error_code"] as? String == "custom_phone_number_not_allowed")
            #expect(try await client.inboxCount(to: Self.custom) == 0)
        }
    }

    /// The probe's attack: one user naming a new number each time. The user's own cool-down holds
    /// across numbers, and the custom-number limit caps the hour; both reset with time.
    @Test func oneUserCannotSprayCodesAcrossNumbers() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.allowing), clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            func send(to number: String) async throws -> OTPTest.Reply {
                try await client.post(
                    "/cis/v1/auth/otp/send", token: token,
                    #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_phone_number": "\#(number)"}"#
                )
            }
            #expect(try await send(to: "+447700900701").status == .ok)
            // Another number at once: the user's cool-down (30 s), not the number's, refuses it.
            let second = try await send(to: "+447700900702")
            #expect(second.status == .tooManyRequests)
            #expect(second.headers[.retryAfter] == "30")
            clock.advance(by: .seconds(30))
            #expect(try await send(to: "+447700900702").status == .ok)
            clock.advance(by: .seconds(30))
            // Two custom numbers an hour: the third waits until the first leaves the hour.
            let third = try await send(to: "+447700900703")
            #expect(third.status == .tooManyRequests)
            #expect(third.headers[.retryAfter] == "3540")
            clock.advance(by: .seconds(3540))
            let renewed = try await client.clientToken()
            let later = try await client.post(
                "/cis/v1/auth/otp/send", token: renewed,
                #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_phone_number": "+447700900703"}"#
            )
            #expect(later.status == .ok)
            #expect(try await client.inboxCount(to: "+447700900703") == 1)
        }
    }
}
