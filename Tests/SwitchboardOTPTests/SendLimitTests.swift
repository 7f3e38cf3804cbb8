import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// The two send limits of otp/send, each on its own: `429` with the exact `Retry-After` the clock gives.
@Suite("otp/send limits", .timeLimit(.minutes(3)))
struct SendLimitTests {
    static func expectTooMany(_ reply: OTPTest.Reply, retryAfter: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == .tooManyRequests, sourceLocation: sourceLocation)
        #expect(reply.headers[.retryAfter] == "\(retryAfter)", sourceLocation: sourceLocation)
        #expect(Set(reply.json.keys) == ["error_code", "message"], sourceLocation: sourceLocation)
        #expect(reply.json["error_code"] as? String == "too_many_requests", sourceLocation: sourceLocation)
        #expect(
            reply.json["message"] as? String == "Too many passcodes sent to this number; retry after \(retryAfter) seconds",
            sourceLocation: sourceLocation
        )
    }

    @Test func theResendCooldownAloneRefusesUntilItEnds() async throws {
        let clock = ManualClock()
        let yaml = OTPTest.yaml(otp: "{ resend_after: 45s, max_sends_per_hour: 100 }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml), clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            Self.expectTooMany(try await client.send(token), retryAfter: 45)
            clock.advance(by: .seconds(44))
            Self.expectTooMany(try await client.send(token), retryAfter: 1)
            clock.advance(by: .seconds(1))
            #expect(try await client.send(token).status == .ok)
            #expect(try await client.inboxCount() == 2)
        }
    }

    @Test func theHourlyCapAloneRefusesUntilTheOldestSendLeavesTheHour() async throws {
        let clock = ManualClock()
        let yaml = OTPTest.yaml(otp: "{ resend_after: 0s, max_sends_per_hour: 2 }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml), clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            clock.advance(by: .seconds(100))
            #expect(try await client.send(token).status == .ok)
            clock.advance(by: .seconds(200))
            Self.expectTooMany(try await client.send(token), retryAfter: 3300)
            clock.advance(by: .seconds(3299))
            Self.expectTooMany(try await client.send(token), retryAfter: 1)
            clock.advance(by: .seconds(1))
            // The client token has lived its hour too.
            let renewed = try await client.clientToken()
            #expect(try await client.send(renewed).status == .ok)
            #expect(try await client.inboxCount() == 3)
        }
    }

    @Test func aRefusedSendKeepsThePreviousCode() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            let code = try await client.latestCode()
            #expect(try await client.send(token).status == .tooManyRequests)
            #expect(try await client.authenticate(token, code: code).status == .ok)
        }
    }
}
