import Foundation
import SwitchboardCore
import SwitchboardOTP
import SwitchboardTestSupport
import Testing

/// The daemon's cached view of slowed scopes: the store is read at most once per refresh period
/// per app, each change of state is reported once, and an operator's clear is seen at once.
@Suite struct ConversionMonitorTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let rule: ConversionRule = {
        var rule = ConversionRule()
        rule.minSends = 10
        return rule
    }()
    let pumped = ConversionTally(scope: .country("NG"), sent: 40, verified: 1)
    let healthy = ConversionTally(scope: .country("GB"), sent: 40, verified: 35)

    @Test func theStoreIsReadOncePerPeriodAndEachChangeIsToldOnce() async throws {
        let monitor = ConversionMonitor(refreshEvery: .seconds(5))
        let reads = Locked(0)
        let counts = Locked([healthy])
        func slowed(at seconds: Double) async throws -> (Set<ConversionScope>, [ConversionMonitor.Change]) {
            let (slowed, changes) = try await monitor.slowed(app: "demo", rule: rule, now: t0.addingTimeInterval(seconds)) {
                reads.withLock { $0 += 1 }
                return counts.withLock { $0 }
            }
            return (Set(slowed.keys), changes)
        }
        let found1 = try await slowed(at: 0)
        #expect(found1 == ([], []))
        counts.withLock { $0 = [healthy, pumped] }
        // Within the period the view stands, however the counts moved.
        let found2 = try await slowed(at: 4.9)
        #expect(found2 == ([], []))
        #expect(reads.withLock { $0 } == 1)
        let found3 = try await slowed(at: 5)
        #expect(found3 == ([.country("NG")], [ConversionMonitor.Change(tally: pumped, slowed: true)]))
        let found4 = try await slowed(at: 10)
        #expect(found4 == ([.country("NG")], []))
        counts.withLock { $0 = [healthy] }
        let found5 = try await slowed(at: 15)
        #expect(found5 == ([], [ConversionMonitor.Change(tally: pumped, slowed: false)]))
        #expect(reads.withLock { $0 } == 4)
    }

    @Test func invalidatingMakesTheNextCallReadAgain() async throws {
        let monitor = ConversionMonitor(refreshEvery: .seconds(5))
        let counts = Locked([pumped])
        let first = try await monitor.slowed(app: "demo", rule: rule, now: t0) { counts.withLock { $0 } }
        #expect(Set(first.slowed.keys) == [.country("NG")])
        counts.withLock { $0 = [] }
        monitor.invalidate()
        let cleared = try await monitor.slowed(app: "demo", rule: rule, now: t0.addingTimeInterval(1)) { counts.withLock { $0 } }
        #expect(cleared.slowed.isEmpty)
        #expect(cleared.changes == [ConversionMonitor.Change(tally: pumped, slowed: false)])
    }

    /// A failed read leaves the view as it was and the next call tries again.
    @Test func aFailedReadIsThrownAndRetried() async throws {
        struct Broken: Error {}
        let monitor = ConversionMonitor(refreshEvery: .seconds(5))
        await #expect(throws: Broken.self) {
            _ = try await monitor.slowed(app: "demo", rule: rule, now: t0) { throw Broken() }
        }
        let next = try await monitor.slowed(app: "demo", rule: rule, now: t0) { [pumped] }
        #expect(Set(next.slowed.keys) == [.country("NG")])
    }

    /// A reload that changes the rule is judged under the new rule at once.
    @Test func anotherRuleIsReadAfresh() async throws {
        let monitor = ConversionMonitor(refreshEvery: .seconds(5))
        _ = try await monitor.slowed(app: "demo", rule: rule, now: t0) { [pumped] }
        var looser = rule
        looser.minVerifiedShare = 0.01
        let after = try await monitor.slowed(app: "demo", rule: looser, now: t0) { [pumped] }
        #expect(after.slowed.isEmpty)
    }
}
