import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// The login store's combined steps, which a login waits for once instead of once per part.
@Suite("Login store combined steps")
struct LoginStoreStepTests {
    let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000.25)
    let limits = SendLimitKey(key: "demo:+447700900123", limits: SendLimits(resendAfter: .seconds(30), maxPerHour: 5))

    func challenge(_ id: String) -> OTPChallenge {
        OTPChallenge(
            id: id, app: "demo", userID: "u1", codeHash: Array("hash-\(id)".utf8), requestID: nil, sentTo: "+447700900123",
            approvalDataJSON: nil, createdAt: t0, expiresAt: t0.addingTimeInterval(300)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func issuingCountsTheSendAndStoresTheChallenge(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let first = try await store.issueChallenge(challenge("c1"), sendLimit: limits, now: t0)
            #expect(first == .issued(reservedAt: t0.roundedForTest))
            #expect(try await store.challenge(app: "demo", userID: "u1")?.id == "c1")
            // The send was counted: a second one inside the cool-down is refused and stores nothing.
            let tooSoon = try await store.issueChallenge(challenge("c2"), sendLimit: limits, now: t0.addingTimeInterval(10))
            #expect(tooSoon == .tooManySends(retryAfter: .seconds(20)))
            #expect(try await store.challenge(app: "demo", userID: "u1")?.id == "c1")
            // Without a send limit (the direct channel) nothing is counted.
            let direct = try await store.issueChallenge(challenge("c3"), sendLimit: nil, now: t0.addingTimeInterval(10))
            #expect(direct == .issued(reservedAt: nil))
            #expect(try await store.challenge(app: "demo", userID: "u1")?.id == "c3")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLockedUserGetsNoChallengeAndNoCountedSend(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1"))
            let policy = LockoutPolicy(maxFailures: 1, lockout: .seconds(900))
            _ = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false }
            let locked = try await store.issueChallenge(challenge("c2"), sendLimit: limits, now: t0.addingTimeInterval(1))
            #expect(locked == .locked(until: t0.addingTimeInterval(900).roundedForTest))
            #expect(try await store.challenge(app: "demo", userID: "u1")?.id != "c2")
            // The refused issue counted no send: one goes through at once after the lock.
            let after = try await store.reserveSend(key: limits.key, now: t0.addingTimeInterval(901), limits: limits.limits)
            #expect(after == .reserved(at: t0.addingTimeInterval(901).roundedForTest))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAcceptedCodeOpensTheSessionItWasGiven(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let session = UserSession(id: "s1", app: "demo", clientID: "c", userID: "u1", authTime: t0, createdAt: t0)
            let opening = NewSession(session: session, refreshToken: RefreshTokenRecord(hash: [7], sessionID: "s1", createdAt: t0, expiresAt: t0.addingTimeInterval(100)))
            let policy = LockoutPolicy(maxFailures: 5, lockout: .seconds(900))
            try await store.putChallenge(challenge("c1"))
            // A wrong code opens nothing.
            _ = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy, opening: opening) { _ in false }
            #expect(try await store.session(id: "s1") == nil)
            let accepted = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy, opening: opening) { _ in true }
            guard case .accepted(let used) = accepted else {
                Issue.record("expected the code to be accepted, got \(accepted)")
                return
            }
            #expect(used.id == "c1")
            #expect(try await store.session(id: "s1")?.userID == "u1")
            guard case .rotated(let rotated) = try await store.rotateRefreshToken(hash: [7], owner: SessionOwner(app: "demo", clientID: "c"), replacement: [8], expiresAt: t0.addingTimeInterval(200), now: t0) else {
                Issue.record("the session's first refresh token does not rotate")
                return
            }
            #expect(rotated.id == "s1")
        }
    }
}
