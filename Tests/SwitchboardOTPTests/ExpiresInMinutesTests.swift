import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `expires_in` on otp/send is in minutes: the code works until that many minutes have passed,
/// and from then on is `400 auth_otp_passcode_expired`.
@Suite("expires_in on otp/send", .timeLimit(.minutes(3)))
struct ExpiresInMinutesTests {
    static func sendExpiringIn(_ minutes: Int, _ client: OTPTest.Client, token: String) async throws -> String {
        let sent = try await client.post(
            "/cis/v1/auth/otp/send", token: token,
            #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "expires_in": \#(minutes)}"#
        )
        #expect(sent.status == .ok)
        return try await client.latestCode()
    }

    @Test func theCodeStillWorksASecondBeforeTheMinutesAreUp() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let code = try await Self.sendExpiringIn(2, client, token: token)
            clock.advance(by: .seconds(119))
            #expect(try await client.authenticate(token, code: code).status == .ok)
        }
    }

    @Test func theCodeExpiresWhenTheMinutesAreUp() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let code = try await Self.sendExpiringIn(2, client, token: token)
            clock.advance(by: .seconds(120))
            let expired = try await client.authenticate(token, code: code)
            #expect(expired.status == .badRequest)
            #expect(expired.json["error_code"] as? String == "auth_otp_passcode_expired")
            #expect(expired.json["message"] as? String == "The passcode has expired")
        }
    }

    /// Longer than the app's own `expires_in: 5m`, so the request's value is the one used.
    @Test func aLongerValidityThanTheAppsIsKept() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let code = try await Self.sendExpiringIn(10, client, token: token)
            clock.advance(by: .seconds(599))
            #expect(try await client.authenticate(token, code: code).status == .ok)
        }
    }
}
