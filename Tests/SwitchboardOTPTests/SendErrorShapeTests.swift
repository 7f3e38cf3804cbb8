import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// otp/send's refusals in Mosaic's shape, `{error_code, message}` and nothing else, with the exact
/// status, code and message, and nothing sent.
@Suite("otp/send error shapes", .timeLimit(.minutes(3)))
struct SendErrorShapeTests {
    static func expectError(
        _ reply: OTPTest.Reply, _ status: HTTPResponse.Status, _ code: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        #expect(Set(reply.json.keys) == ["error_code", "message"], "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.json["error_code"] as? String == code, sourceLocation: sourceLocation)
        #expect(reply.json["message"] as? String == message, sourceLocation: sourceLocation)
    }

    @Test func anUnknownUserIs404UserNotFound() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            Self.expectError(try await client.send(token), .notFound, "user_not_found", "User not found")
            #expect(try await client.inboxCount() == 0)
        }
    }

    @Test func aUserWithoutAPhoneNumberIs404PhoneNumberMissing() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            #expect(try await client.post("/cis/v1/users", token: token, #"{"email": "ada@example.com", "username": "ada1815"}"#).status == .created)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "ada1815", "identifier_type": "username"}"#
            )
            Self.expectError(reply, .notFound, "user_phone_number_missing", "The user has no phone number")
        }
    }

    @Test func aDisabledUserIs403NotActiveOnSendAndAuthenticate() async throws {
        let login: any LoginStore = MemoryLoginStore()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let disabled = LoginUser(id: "disabled", phoneNumber: OTPTest.phone, status: .disabled, createdAt: now, updatedAt: now)
        _ = try await login.createUser(disabled, in: UserScope(app: "demo"))
        try await OTPTest.withApp(login: login) { client in
            let token = try await client.clientToken()
            Self.expectError(try await client.send(token), .forbidden, "user_not_active", "The user is not active")
            Self.expectError(try await client.authenticate(token, code: "123456"), .forbidden, "user_not_active", "The user is not active")
            #expect(try await client.inboxCount() == 0)
        }
    }

    @Test func aDeliveryNoProviderTookIs502SMSDeliveryFailed() async throws {
        try await OTPTest.withApp(inbox: BrokenInbox()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            Self.expectError(try await client.send(token), .badGateway, "sms_delivery_failed", "The SMS could not be delivered by any provider")
        }
    }

    @Test func aWrongCodeIs400InvalidCredentials() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            let code = try await client.latestCode()
            let wrong = code == "000000" ? "111111" : "000000"
            Self.expectError(try await client.authenticate(token, code: wrong), .badRequest, "auth_invalid_credentials", "Invalid credentials")
        }
    }
}
