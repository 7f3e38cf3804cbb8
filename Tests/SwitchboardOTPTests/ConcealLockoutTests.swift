import Crypto
import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardOTP

/// In conceal mode an unknown number goes through the same observable states as a user's.
@Suite("Conceal mode lockout", .timeLimit(.minutes(3)))
struct ConcealLockoutTests {
    /// What a client can observe of one answer.
    struct Observed: Equatable, CustomStringConvertible {
        var status: HTTPResponse.Status
        var body: String
        var retryAfter: String?

        init(_ reply: OTPTest.Reply) {
            status = reply.status
            body = reply.text
            retryAfter = reply.headers[.retryAfter]
        }

        var description: String { "\(status.code) \(body) Retry-After: \(retryAfter ?? "-")" }
    }

    @Test func anUnknownNumberLocksAndExpiresExactlyAsAKnownOne() async throws {
        let clock = ManualClock()
        let unknownPhone = "+447700900999"
        let yaml = OTPTest.yaml(demo: "    unknown_users: conceal")
        try await OTPTest.withApp(config: try OTPTest.config(yaml), clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            /// Runs one step for the known and the unknown number and checks they look the same.
            func same(_ step: String, expect status: HTTPResponse.Status, _ call: (String) async throws -> OTPTest.Reply) async throws {
                let known = Observed(try await call(OTPTest.phone))
                let unknown = Observed(try await call(unknownPhone))
                #expect(known == unknown, "\(step): known \(known), unknown \(unknown)")
                #expect(known.status == status, "\(step): \(known)")
            }
            try await same("send", expect: .ok) { try await client.send(token, phone: $0) }
            // The known user's code arrives after the answer; wait for it, to be sure of a wrong one.
            // (Polled through the inbox count: `latestCode` records a failure while there is none yet.)
            let delivered = try await client.inboxCount(reaching: 1)
            #expect(delivered == 1)
            let right = try await client.latestCode()
            let wrong = right == "000000" ? "111111" : "000000"
            for attempt in 1...3 {
                try await same("wrong code \(attempt)", expect: .badRequest) { try await client.authenticate(token, code: wrong, phone: $0) }
            }
            // Locked: even the right code is refused, with the same time left.
            try await same("locked", expect: .forbidden) { phone in
                try await client.authenticate(token, code: phone == OTPTest.phone ? right : wrong, phone: phone)
            }
            clock.advance(by: .seconds(60))
            try await same("send while locked", expect: .forbidden) { try await client.send(token, phone: $0) }
            try await same("still locked", expect: .forbidden) { try await client.authenticate(token, code: wrong, phone: $0) }
            clock.advance(by: .seconds(15 * 60 - 60))
            // The lock is over and the code was invalidated by it.
            try await same("after the lock", expect: .badRequest) { try await client.authenticate(token, code: right, phone: $0) }
            try await same("send again", expect: .ok) { try await client.send(token, phone: $0) }
            try await same("cool-down", expect: .tooManyRequests) { try await client.send(token, phone: $0) }
            clock.advance(by: .seconds(5 * 60))
            try await same("expired", expect: .badRequest) { try await client.authenticate(token, code: wrong, phone: $0) }
            #expect(try await client.inboxCount(to: unknownPhone) == 0)
        }
    }

    @Test func theUnknownUsersIDIsAStableKeyedHashThatNoUserCanHave() {
        let key = SymmetricKey(size: .bits256)
        let id = UnknownUserID.make(for: .phoneNumber("+447700900999"), key: key)
        #expect(id == UnknownUserID.make(for: .phoneNumber("+447700900999"), key: key))
        #expect(id != UnknownUserID.make(for: .phoneNumber("+447700900998"), key: key))
        #expect(id != UnknownUserID.make(for: .username("+447700900999"), key: key))
        #expect(id != UnknownUserID.make(for: .phoneNumber("+447700900999"), key: SymmetricKey(size: .bits256)))
        #expect(!id.contains("447700900999"))
        // Real user ids are base64url, which has no ':'.
        #expect(id.contains(":"))
        #expect(!OTPCodes.randomID().contains(":"))
    }
}
