import Testing
import SwitchboardCore
import SwitchboardTestSupport

/// Weighted splits: exact shares, interleaved, and no share for a provider that is not available.
@Suite("Weighted split")
struct WeightedSplitTests {
    let split = [WeightedProvider(provider: "twilio", weight: 70), WeightedProvider(provider: "sfmc", weight: 30)]

    @Test("70/30 is exact over 1,000 sends and over every run of 10")
    func exactShares() {
        let splitter = WeightedSplitter()
        var firsts: [String] = []
        for _ in 0..<1000 {
            firsts.append(splitter.order(route: "uk", split: split, isAvailable: { _ in true })[0])
        }
        #expect(firsts.filter { $0 == "twilio" }.count == 700)
        #expect(firsts.filter { $0 == "sfmc" }.count == 300)
        for start in stride(from: 0, to: 1000, by: 10) {
            #expect(firsts[start..<start + 10].filter { $0 == "sfmc" }.count == 3)
        }
        // Interleaved, not in bursts: never more than three twilio sends in a row.
        #expect(!firsts.joined(separator: ",").contains("twilio,twilio,twilio,twilio"))
    }

    @Test("the rest of the split follows the chosen member, in configuration order")
    func orderWithinSplit() {
        let splitter = WeightedSplitter()
        let three = split + [WeightedProvider(provider: "vonage", weight: 10)]
        let orders = (0..<110).map { _ in splitter.order(route: "r", split: three, isAvailable: { _ in true }) }
        #expect(orders.allSatisfy { Set($0) == ["twilio", "sfmc", "vonage"] && $0.count == 3 })
        #expect(orders.contains(["sfmc", "twilio", "vonage"]))
        #expect(orders.contains(["vonage", "twilio", "sfmc"]))
    }

    @Test("routes keep separate rotations")
    func perRoute() {
        let splitter = WeightedSplitter()
        let a = (0..<10).map { _ in splitter.order(route: "a", split: split, isAvailable: { _ in true })[0] }
        let b = (0..<10).map { _ in splitter.order(route: "b", split: split, isAvailable: { _ in true })[0] }
        #expect(a == b)
    }

    @Test("an unavailable member gets no share; the others share by their own weights")
    func unavailableGetsNoShare() {
        let splitter = WeightedSplitter()
        let three = [
            WeightedProvider(provider: "a", weight: 50), WeightedProvider(provider: "b", weight: 30),
            WeightedProvider(provider: "c", weight: 20),
        ]
        let firsts = (0..<500).map { _ in splitter.order(route: "r", split: three, isAvailable: { $0 != "a" })[0] }
        #expect(firsts.filter { $0 == "a" }.isEmpty)
        #expect(firsts.filter { $0 == "b" }.count == 300)
        #expect(firsts.filter { $0 == "c" }.count == 200)
    }

    @Test("through the dispatcher: exact over 1,000 sends, and none to a provider whose breaker is open")
    func throughDispatcher() async {
        let clock = ManualClock()
        let twilio = ScriptedProvider.accepting("twilio")
        let sfmc = ScriptedProvider.accepting("sfmc")
        let fallback = ScriptedProvider.accepting("default")
        let rig = Failover.rig([twilio, sfmc, fallback], clock: clock, breaker: BreakerSettings(consecutiveFailures: 1))
        let plan = Failover.plan(["default"], split: split)
        for index in 0..<1000 { _ = await rig.deliver(plan, id: "m\(index)") }
        #expect(twilio.callCount == 700)
        #expect(sfmc.callCount == 300)
        #expect(fallback.callCount == 0)

        // Open sfmc's breaker: it gets no share (and, being skipped, is never called).
        rig.breakers.record("sfmc", outcome: .retryable, retryAfter: nil, probe: false, logger: Failover.logger)
        #expect(rig.breakers.states()["sfmc"]?.state == .open)
        for index in 0..<100 { _ = await rig.deliver(plan, id: "n\(index)") }
        #expect(twilio.callCount == 800)
        #expect(sfmc.callCount == 300)
    }

    @Test("a failing split member fails over to the other member before the fallbacks")
    func failoverWithinSplit() async {
        let twilio = ScriptedProvider.answering("twilio", .retryable)
        let sfmc = ScriptedProvider.accepting("sfmc")
        let fallback = ScriptedProvider.accepting("default")
        let rig = Failover.rig([twilio, sfmc, fallback], breaker: BreakerSettings(consecutiveFailures: 1000))
        let attempts = await rig.deliver(Failover.plan(["default"], split: split))
        #expect(attempts.map(\.provider) == ["twilio", "sfmc"])
        #expect(attempts.map(\.outcome) == [.retryable, .accepted])
    }
}
