import Testing
@testable import SwitchboardCore

/// One reload per settled change, however many writes made it.
@Suite("Change debouncer")
struct ChangeDebouncerTests {
    /// What `observe` answers for each (snapshot, time since start), in turn, from snapshot 1 applied.
    func decisions(_ steps: [(Int, Duration)]) -> [Bool] {
        let start = ContinuousClock.now
        var debouncer = ChangeDebouncer(initial: 1, quietPeriod: .seconds(1))
        return steps.map { snapshot, offset in debouncer.observe(snapshot, at: start + offset) }
    }

    @Test func settledChangeOnceAndNoChangeNever() {
        let steps: [(Int, Duration)] = [
            (1, .zero), (1, .seconds(10)), (2, .seconds(11)), (3, .milliseconds(11_900)), (3, .milliseconds(12_899)),
            (3, .milliseconds(12_900)), (3, .seconds(20)),
        ]
        #expect(decisions(steps) == [false, false, false, false, false, true, false])
    }

    @Test func aChangeUndoneBeforeItSettledIsNoChange() {
        #expect(decisions([(2, .zero), (1, .milliseconds(500)), (1, .seconds(5))]) == [false, false, false])
    }
}
