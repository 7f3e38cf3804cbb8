import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Conversion counts on every store: sends and verifications per app, scope and minute, the
/// slowed rate checked and counted in one step, and counts shared by daemons on one database.
@Suite("Conversion store contract")
struct ConversionContractTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let scopes: [ConversionScope] = [.country("NG"), .prefix("2348031")]

    @Test(arguments: StoreKind.allCases)
    func sendsAndVerificationsAreSummedOverTheWindowPerScope(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            for second in [0.0, 30, 61, 125] {
                let counted = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(second), limits: [:])
                #expect(counted == .counted)
            }
            _ = try await store.countConversionSend(app: "demo", scopes: [.country("GB")], at: t0, limits: [:])
            _ = try await store.countConversionSend(app: "other", scopes: scopes, at: t0, limits: [:])
            // Verified a minute later, counted in the bucket of its send.
            try await store.countConversionVerified(app: "demo", scopes: scopes, sentAt: t0.addingTimeInterval(61))
            let all = try await store.conversionTallies(app: "demo", since: t0, minSends: 1)
            #expect(
                all == [
                    ConversionTally(scope: .prefix("2348031"), sent: 4, verified: 1), ConversionTally(scope: .country("GB"), sent: 1, verified: 0),
                    ConversionTally(scope: .country("NG"), sent: 4, verified: 1),
                ]
            )
            // Buckets before `since` are not summed; scopes under the floor are left out.
            let recent = try await store.conversionTallies(app: "demo", since: t0.addingTimeInterval(60), minSends: 2)
            #expect(recent == [ConversionTally(scope: .prefix("2348031"), sent: 2, verified: 1), ConversionTally(scope: .country("NG"), sent: 2, verified: 1)])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSlowedScopeCountsNoMoreThanItsRateInAMinuteAndRefusalsCountNothing(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let limits: [ConversionScope: Int] = [.prefix("2348031"): 2]
            let found1 = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0, limits: limits)
            #expect(found1 == .counted)
            let found2 = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(10), limits: limits)
            #expect(found2 == .counted)
            let found3 = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(20), limits: limits)
            #expect(found3 == .slowed(.prefix("2348031")))
            // The refusal counted nothing, not even under the country it did not limit.
            let found4 = try await store.conversionTallies(app: "demo", since: t0, minSends: 1).map(\.sent)
            #expect(found4 == [2, 2])
            // A new minute has room again; another app is not limited by this one's counts.
            let found5 = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(60), limits: limits)
            #expect(found5 == .counted)
            let found6 = try await store.countConversionSend(app: "other", scopes: scopes, at: t0.addingTimeInterval(20), limits: limits)
            #expect(found6 == .counted)
            // A rate of none refuses every send.
            let found7 = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(120), limits: [.country("NG"): 0])
            #expect(found7 == .slowed(.country("NG")))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSendTakenBackIsUncountedAndForgettingStartsAfresh(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            _ = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0, limits: [:])
            _ = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(1), limits: [:])
            try await store.uncountConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(1))
            let found8 = try await store.conversionTallies(app: "demo", since: t0, minSends: 1).map(\.sent)
            #expect(found8 == [1, 1])
            _ = try await store.countConversionSend(app: "other", scopes: scopes, at: t0, limits: [:])
            try await store.forgetConversion(.country("NG"))
            let found9 = try await store.conversionTallies(app: "demo", since: t0, minSends: 1)
            #expect(found9 == [ConversionTally(scope: .prefix("2348031"), sent: 1, verified: 0)])
            let found10 = try await store.conversionTallies(app: "other", since: t0, minSends: 1).map(\.scope)
            #expect(found10 == [.prefix("2348031")])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anAcceptedCodeCountsItsVerificationInTheSameStepAndAWrongOneNot(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let policy = LockoutPolicy(maxFailures: 3, lockout: .seconds(900))
            let verified: @Sendable (OTPChallenge) -> ConversionSend? = { [scopes] challenge in
                ConversionSend(app: "demo", scopes: scopes, at: challenge.createdAt)
            }
            for user in ["u1", "u2"] {
                try await store.putChallenge(
                    OTPChallenge(
                        id: "c-\(user)", app: "demo", userID: user, codeHash: Array("hash".utf8), sentTo: "+2348031000001",
                        createdAt: t0, expiresAt: t0.addingTimeInterval(300)
                    )
                )
            }
            let wrong = try await store.attempt(app: "demo", userID: "u1", now: t0.addingTimeInterval(5), policy: policy, opening: nil, conversion: verified) { _ in false }
            #expect(wrong == .rejected(failures: 1, lockedUntil: nil))
            #expect(try await store.conversionTallies(app: "demo", since: t0, minSends: 0).isEmpty)
            let right = try await store.attempt(app: "demo", userID: "u2", now: t0.addingTimeInterval(6), policy: policy, opening: nil, conversion: verified) { _ in true }
            guard case .accepted(let accepted) = right else {
                Issue.record("the right code was not accepted: \(right)")
                return
            }
            #expect(accepted.id == "c-u2")
            let tallies = try await store.conversionTallies(app: "demo", since: t0, minSends: 0)
            #expect(tallies == [ConversionTally(scope: .prefix("2348031"), sent: 0, verified: 1), ConversionTally(scope: .country("NG"), sent: 0, verified: 1)])
        }
    }

    /// Two daemons on one database: a code sent through one and verified through the other is one
    /// send and one verification, whichever daemon asks.
    @Test func daemonsOnOneDatabaseShareTheCounts() async throws {
        try await TestPostgres.withDatabase { settings in
            let (seenBySender, seenByVerifier) = try await TestPostgres.withStores(2, on: settings) { stores in
                let (sender, verifier) = (stores[0], stores[1])
                try await sender.migrate()
                _ = try await sender.countConversionSend(app: "demo", scopes: scopes, at: t0, limits: [:])
                try await verifier.countConversionVerified(app: "demo", scopes: scopes, sentAt: t0)
                return (try await sender.conversionTallies(app: "demo", since: t0, minSends: 1), try await verifier.conversionTallies(app: "demo", since: t0, minSends: 1))
            }
            let once = [ConversionTally(scope: .prefix("2348031"), sent: 1, verified: 1), ConversionTally(scope: .country("NG"), sent: 1, verified: 1)]
            #expect(seenBySender == once)
            #expect(seenByVerifier == once)
        }
    }

    /// Thirty sends at once through three daemons to a scope slowed to five a minute: five are
    /// counted, whichever daemons they went through.
    @Test func theSlowedRateHoldsAcrossDaemonsSendingAtOnce() async throws {
        try await TestPostgres.withDatabase { settings in
            let counts = try await TestPostgres.withStores(3, on: settings) { stores in
                try await stores[0].migrate()
                let at = t0
                let scopes = self.scopes
                return try await withThrowingTaskGroup(of: ConversionSendCount.self) { group in
                    for index in 0..<30 {
                        group.addTask {
                            try await stores[index % 3].countConversionSend(app: "demo", scopes: scopes, at: at, limits: [.country("NG"): 5])
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(counts.count { $0 == .counted } == 5)
            #expect(counts.count { $0 == .slowed(.country("NG")) } == 25)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theAbusePurgeDeletesOnlyWhatNoRuleReads(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let purger = try #require(store as? any AbuseCounterRetention)
            _ = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0, limits: [:])
            _ = try await store.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(3600), limits: [:])
            var velocity = PrefixVelocityRule()
            velocity.maxNumbers = 1
            _ = try await store.notePrefixSend(app: "demo", prefix: "2348031", number: "+2348031000001", now: t0, rule: velocity)
            _ = try await store.notePrefixSend(app: "demo", prefix: "2348031", number: "+2348031000002", now: t0, rule: velocity)
            _ = try await store.notePrefixSend(app: "demo", prefix: "2348032", number: "+2348032000001", now: t0.addingTimeInterval(3600), rule: velocity)
            let budget = BudgetCounter(key: "demo:country:NG:hour", scope: "NG", rate: BudgetRate(limit: 10, window: .hour))
            _ = try await store.spendBudget([budget], now: t0)
            let later = BudgetCounter(key: "demo:country:GB:hour", scope: "GB", rate: BudgetRate(limit: 10, window: .hour))
            _ = try await store.spendBudget([later], now: t0.addingTimeInterval(86_400))

            let cutoff = t0.addingTimeInterval(60)
            // The two conversion buckets of the first minute (country and prefix), not the later ones.
            let found11 = try await purger.purgeAbuseCounters(.conversionBuckets, before: cutoff, limit: 100)
            #expect(found11 == 2)
            let found12 = try await store.conversionTallies(app: "demo", since: t0, minSends: 1).map(\.sent)
            #expect(found12 == [1, 1])
            // Two numbers seen at t0; the block they set (t0 + 1h) ends after the cutoff.
            let found13 = try await purger.purgeAbuseCounters(.prefixNumbers, before: cutoff, limit: 1)
            #expect(found13 == 1)
            let found14 = try await purger.purgeAbuseCounters(.prefixNumbers, before: cutoff, limit: 100)
            #expect(found14 == 1)
            let found15 = try await purger.purgeAbuseCounters(.blockedPrefixes, before: cutoff, limit: 100)
            #expect(found15 == 0)
            let found16 = try await purger.purgeAbuseCounters(.blockedPrefixes, before: t0.addingTimeInterval(3601), limit: 100)
            #expect(found16 == 1)
            let found17 = try await purger.purgeAbuseCounters(.sendBudgets, before: cutoff, limit: 100)
            #expect(found17 == 1)
            let found18 = try await purger.purgeAbuseCounters(.sendBudgets, before: cutoff, limit: 100)
            #expect(found18 == 0)
        }
    }
}
