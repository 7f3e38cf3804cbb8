import Foundation
import SwitchboardCore
import Testing

/// Support ends a lockout: in every login store.
@Suite("Lockout release contract")
struct LockoutReleaseContractTests {
    let base = LoginStoreContractTests()

    @Test(arguments: StoreKind.allCases)
    func unlockEndsTheLockAndTheCount(kind: StoreKind) async throws {
        let t0 = base.t0
        let challenge = { (id: String, user: String, expires: TimeInterval) in base.challenge(id, user: user, expires: expires) }
        try await kind.withLoginStore { store in
            let release = try #require(store as? any LockoutRelease)
            let policy = LockoutPolicy(maxFailures: 2, lockout: .seconds(900))
            try await store.putChallenge(challenge("c1", "u1", 300))
            _ = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false }
            _ = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false }
            let locked = try await store.lockedUntil(app: "demo", userID: "u1", now: t0)
            #expect(locked != nil)

            let ended = try await release.unlock(app: "demo", userID: "u1", now: t0)
            #expect(ended)
            let after = try await store.lockedUntil(app: "demo", userID: "u1", now: t0)
            #expect(after == nil)
            // A new code works at once, and failures count from zero.
            try await store.putChallenge(challenge("c2", "u1", 300))
            let failed = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false }
            #expect(failed == .rejected(failures: 1, lockedUntil: nil))
            let accepted = try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in true }
            #expect(accepted == .accepted(challenge("c2", "u1", 300)))

            // Nothing to end: false, and nothing else changes.
            let again = try await release.unlock(app: "demo", userID: "u1", now: t0)
            #expect(!again)
        }
    }
}
