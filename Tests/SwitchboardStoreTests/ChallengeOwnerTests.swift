import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A challenge records the verify provider that owns its code, in every store.
@Suite("Challenge owner")
struct ChallengeOwnerTests {
    let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000.25)

    func challenge(_ id: String) -> OTPChallenge {
        OTPChallenge(
            id: id, app: "demo", userID: "u1", codeHash: Array("hash-\(id)".utf8), sentTo: "+447700900123", createdAt: t0,
            expiresAt: t0.addingTimeInterval(300)
        )
    }

    @Test(arguments: StoreKind.allCases)
    func theLiveChallengeTakesItsOwnerAndANewSendClearsIt(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1"))
            #expect(try await store.challenge(app: "demo", userID: "u1")?.owner == nil)
            try await store.assignChallengeOwner(id: "c1", owner: "mosaic")
            let owned = try await store.challenge(app: "demo", userID: "u1")
            #expect(owned?.owner == "mosaic")
            #expect(owned?.id == "c1")
            // A new send replaces the challenge, owner and all; assigning to the old id changes nothing.
            try await store.putChallenge(challenge("c2"))
            try await store.assignChallengeOwner(id: "c1", owner: "twilio-verify")
            #expect(try await store.challenge(app: "demo", userID: "u1")?.owner == nil)
            // The store's check hands the owner back with the accepted challenge.
            try await store.assignChallengeOwner(id: "c2", owner: "mosaic")
            let outcome = try await store.attempt(
                app: "demo", userID: "u1", now: t0, policy: LockoutPolicy(maxFailures: 3, lockout: .seconds(900)), matches: { $0.id == "c2" }
            )
            guard case .accepted(let accepted) = outcome else {
                Issue.record("expected accepted, got \(outcome)")
                return
            }
            #expect(accepted.owner == "mosaic")
        }
    }
}
