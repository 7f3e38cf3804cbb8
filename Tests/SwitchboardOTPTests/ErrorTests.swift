import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite("OTP API errors")
struct ErrorTests {
    // MARK: /oidc/token

    @Test func wrongSecretUnknownClientAndOtherGrants() async throws {
        try await OTPTest.withApp { client in
            let wrong = try await client.form("/oidc/token", "client_id=\(OTPTest.clientID)&client_secret=nope-nope-nope-nope&grant_type=client_credentials")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.json["error"] as? String == "invalid_client")
            let unknown = try await client.form("/oidc/token", "client_id=nobody&client_secret=\(OTPTest.clientSecret)&grant_type=client_credentials")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json["error"] as? String == "invalid_client")
            let password = try await client.form("/oidc/token", "client_id=\(OTPTest.clientID)&client_secret=\(OTPTest.clientSecret)&grant_type=password")
            #expect(password.status == .badRequest)
            #expect(password.json["error"] as? String == "unsupported_grant_type")
        }
    }

    // MARK: Bearer

    @Test func cisCallsNeedAValidClientToken() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let body = #"{"phone_number": "+447700900123"}"#
            let none = try await client.post("/cis/v1/users", token: nil, body)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let garbage = try await client.post("/cis/v1/users", token: "not.a.jwt", body)
            #expect(garbage.status == .unauthorized)
            #expect(garbage.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            // A user token is not a client token.
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            _ = try await client.send(token)
            let tokens = try await client.authenticate(token, code: try await client.latestCode()).json
            let userToken = try #require(tokens["access_token"] as? String)
            #expect(try await client.post("/cis/v1/users", token: userToken, body).status == .unauthorized)

            // Expiry is checked.
            clock.advance(by: .seconds(3601))
            let expired = try await client.get("/cis/v1/users/phone-number/+447700900123", token: token)
            #expect(expired.status == .unauthorized)
            #expect(expired.headers[.wwwAuthenticate] != nil)
        }
    }

    // MARK: Users

    @Test func userErrorsAndMembership() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            let invalid = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "0770090"}"#)
            #expect(invalid.status == .badRequest)
            #expect(invalid.json["error_code"] as? Int == 400)
            #expect((invalid.json["message"] as? [String])?.first?.contains("phone_number") == true)
            let empty = try await client.post("/cis/v1/users", token: token, #"{"username": "ada"}"#)
            #expect(empty.status == .badRequest)

            let userID = try await client.createUser(token)
            let taken = try await client.post("/cis/v1/users", token: token, #"{"phone_number": "+447700900123"}"#)
            #expect(taken.status == .conflict)
            #expect(taken.json["error_code"] as? Int == 409)
            #expect(taken.json["message"] is String)

            // Another app that does not share users gets a user of its own, never this one.
            let otherToken = try await client.clientToken(id: "other-backend", secret: "other-secret-0123456789")
            let separate = try await client.post("/cis/v1/users", token: otherToken, #"{"phone_number": "+447700900123"}"#)
            #expect(separate.status == .created)
            let separateUser = try #require(separate.json["result"] as? [String: Any])
            #expect(separateUser["user_id"] as? String != userID)

            let missing = try await client.get("/cis/v1/users/phone-number/+447700900999", token: token)
            #expect(missing.status == .notFound)
            #expect(missing.json["error_code"] as? Int == 404)
        }
    }

    // MARK: Send

    @Test func sendErrors() async throws {
        let login: any LoginStore = MemoryLoginStore()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await login.createUser(LoginUser(id: "disabled", phoneNumber: "+447700900555", status: .disabled, createdAt: now, updatedAt: now), in: UserScope(app: "demo"))
        try await OTPTest.withApp(config: try OTPTest.config(OTPTest.yaml(demo: "    custom_phone_number: { allow: true }")), login: login) { client in
            let token = try await client.clientToken()
            let unknown = try await client.send(token)
            #expect(unknown.status == .notFound)
            #expect(unknown.json["error_code"] as? String == "user_not_found")

            let emailOnly = try await client.post("/cis/v1/users", token: token, #"{"email": "ada@example.com"}"#)
            #expect(emailOnly.status == .created)
            let noPhone = try await client.post("/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "ada@example.com", "identifier_type": "email"}"#)
            #expect(noPhone.status == .notFound)
            #expect(noPhone.json["error_code"] as? String == "user_phone_number_missing")

            let inactive = try await client.send(token, phone: "+447700900555")
            #expect(inactive.status == .forbidden)
            #expect(inactive.json["error_code"] as? String == "user_not_active")

            _ = try await client.createUser(token)
            func invalid(_ body: String, mentions field: String) async throws {
                let reply = try await client.post("/cis/v1/auth/otp/send", token: token, body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.json["error_code"] as? String == "system_invalid_input", "\(body)")
                #expect((reply.json["message"] as? String)?.contains(field) == true, "\(body): \(reply.text)")
            }
            let base = #""identifier": "+447700900123", "identifier_type": "phone_number""#
            try await invalid(#"{"channel": "pigeon", \#(base)}"#, mentions: "channel")
            try await invalid(#"{"channel": "direct", \#(base)}"#, mentions: "direct")
            try await invalid(#"{"channel": "sms", "identifier": "+447700900123", "identifier_type": "shoe_size"}"#, mentions: "identifier_type")
            try await invalid(#"{"channel": "sms", "identifier": "+447700900123"}"#, mentions: "identifier_type")
            try await invalid(#"{"channel": "sms", \#(base), "custom_sms_input": {"custom_message": "Code {otp}"}}"#, mentions: "{app}")
            let long = String(repeating: "x", count: 130)
            try await invalid(#"{"channel": "sms", \#(base), "custom_sms_input": {"custom_message": "{app} {otp} \#(long)"}}"#, mentions: "140")
            try await invalid(#"{"channel": "sms", \#(base), "custom_sms_input": {"sender_id": "ThisIsTooLongASender"}}"#, mentions: "sender_id")
            try await invalid(#"{"channel": "sms", \#(base), "expires_in": 0}"#, mentions: "expires_in")
            try await invalid(#"{"channel": "sms", \#(base), "custom_phone_number": "12"}"#, mentions: "custom_phone_number")
            // Nothing was sent by any of them.
            #expect(try await client.inboxCount() == 0)
        }
    }

    @Test func customMessageSenderAndExpiry() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(OTPTest.yaml(demo: "    senders: [ACME]"))) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "+447700900123", "identifier_type": "phone_number", "expires_in": 2, "custom_sms_input": {"custom_message": "Your {app} code is {otp}", "sender_id": "ACME"}, "approval_data": {"amount": "10.00"}, "generate_request_id": true}"#
            )
            #expect(reply.status == .ok)
            #expect(reply.json["message"] as? String == "OTP sent")
            _ = try #require(reply.json["request_id"] as? String)
            #expect((reply.json["approval_data"] as? [String: String]) == ["amount": "10.00"])
            let message = try #require(try await client.inbox.latestInbox(to: OTPTest.phone, limit: 1).first)
            #expect(message.text.hasPrefix("Your Demo code is "))
            #expect(message.from == "ACME")
            let code = try await client.latestCode()
            // Without the request id the right code is refused.
            #expect(try await client.authenticate(token, code: code).json["error_code"] as? String == "auth_invalid_credentials")
        }
        // With it (fresh send, as the failure above counted) it works.
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "+447700900123", "identifier_type": "phone_number", "generate_request_id": true}"#
            )
            let requestID = try #require(reply.json["request_id"] as? String)
            let code = try await client.latestCode()
            let ok = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(code)", "identifier": "+447700900123", "identifier_type": "phone_number", "request_id": "\#(requestID)"}"#
            )
            #expect(ok.status == .ok)
        }
    }

    @Test func countryPolicyRefusesDeniedDestinations() async throws {
        let yaml = OTPTest.yaml(demo: "    countries: { deny: [GB] }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.send(token)
            #expect(reply.status == .badRequest)
            #expect(reply.json["error_code"] as? String == "system_invalid_input")
            #expect(try await client.inboxCount() == 0)
        }
    }

    @Test func resendCooldownAndHourlyCapAnswer429WithRetryAfter() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            clock.advance(by: .seconds(10))
            let tooSoon = try await client.send(token)
            #expect(tooSoon.status == .tooManyRequests)
            #expect(tooSoon.headers[.retryAfter] == "20")
            clock.advance(by: .seconds(20))
            for _ in 0..<4 {
                #expect(try await client.send(token).status == .ok)
                clock.advance(by: .seconds(30))
            }
            // Five in the hour (max_sends_per_hour: 5): the sixth waits until the first leaves the window.
            let capped = try await client.send(token)
            #expect(capped.status == .tooManyRequests)
            #expect(capped.headers[.retryAfter] == "\(3600 - 150)")
            #expect(try await client.inboxCount() == 5)
        }
    }

    @Test func deliveryFailureAnswers502AndLeavesNoUsableCode() async throws {
        let login: any LoginStore = MemoryLoginStore()
        try await OTPTest.withApp(login: login, inbox: BrokenInbox()) { client in
            let token = try await client.clientToken()
            let userID = try await client.createUser(token)
            let reply = try await client.send(token)
            #expect(reply.status == .badGateway)
            #expect(reply.json["error_code"] as? String == "sms_delivery_failed")
            #expect(try await login.challenge(app: "demo", userID: userID) == nil)
            // The failed send did not count against the cooldown.
            #expect(try await client.send(token).status == .badGateway)
        }
    }

    @Test func directChannelReturnsTheCodeOnlyWhereAllowed() async throws {
        let yaml = OTPTest.yaml(demo: "    allow_direct_channel: true")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post("/cis/v1/auth/otp/send", token: token, #"{"channel": "direct", "identifier": "+447700900123", "identifier_type": "phone_number"}"#)
            #expect(reply.status == .ok)
            let code = try #require(reply.json["code"] as? String)
            #expect(code.count == 6)
            #expect(try await client.inboxCount() == 0)
            #expect(try await client.authenticate(token, code: code).status == .ok)
        }
    }

    // MARK: Authenticate

    @Test func wrongExpiredAndUnknown() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            let unknown = try await client.authenticate(token, code: "123456")
            #expect(unknown.status == .notFound)
            #expect(unknown.json["error_code"] as? String == "user_not_found")
            _ = try await client.createUser(token)
            _ = try await client.send(token)
            let code = try await client.latestCode()
            let wrongCode = code == "000000" ? "111111" : "000000"
            let wrong = try await client.authenticate(token, code: wrongCode)
            #expect(wrong.status == .badRequest)
            #expect(wrong.json["error_code"] as? String == "auth_invalid_credentials")
            clock.advance(by: .seconds(300))
            let expired = try await client.authenticate(token, code: code)
            #expect(expired.status == .badRequest)
            #expect(expired.json["error_code"] as? String == "auth_otp_passcode_expired")
            let missing = try await client.post("/cis/v1/auth/otp/authenticate", token: token, #"{"identifier": "+447700900123", "identifier_type": "phone_number"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.json["error_code"] as? String == "system_invalid_input")
        }
    }

    @Test func perRequestExpiryIsInMinutes() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "+447700900123", "identifier_type": "phone_number", "expires_in": 1}"#
            )
            #expect(sent.status == .ok)
            let code = try await client.latestCode()
            clock.advance(by: .seconds(60))
            #expect(try await client.authenticate(token, code: code).json["error_code"] as? String == "auth_otp_passcode_expired")
        }
    }

    @Test func newSendReplacesThePreviousCode() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            _ = try await client.send(token)
            let first = try await client.latestCode()
            clock.advance(by: .seconds(30))
            _ = try await client.send(token)
            let second = try await client.latestCode()
            if first != second {
                #expect(try await client.authenticate(token, code: first).status == .badRequest)
            }
            #expect(try await client.authenticate(token, code: second).status == .ok)
        }
    }
}
