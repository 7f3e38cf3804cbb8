import Testing

/// What a fake provider found wrong in a request it received. A fake checks every request before
/// it looks at its script, so a scripted answer can never hide a malformed request: each violation
/// is answered as the real provider would refuse it and, unless the test announced it, fails the
/// running test at once. Reporting it from the fake itself (the handler runs in a task started by
/// the test, so it inherits the test's context) means no test can forget to check.
package final class WireViolations: Sendable {
    private struct State {
        var announcedRefusals = 0
        var recorded: [String] = []
    }

    private let state = Locked(State())
    private let fakeName: String

    package init(fakeName: String) {
        self.fakeName = fakeName
    }

    /// Every violation found so far, announced or not.
    package var recorded: [String] { state.withLock { $0.recorded } }

    /// The next `count` violations are what the test is about (wrong credentials on purpose, say):
    /// the fake still refuses them, but they do not fail the test.
    package func announceRefusals(_ count: Int = 1) {
        state.withLock { $0.announcedRefusals += count }
    }

    /// Records `violation` and fails the running test unless it was announced.
    func record(_ violation: String) {
        let announced = state.withLock { state in
            state.recorded.append(violation)
            guard state.announcedRefusals > 0 else { return false }
            state.announcedRefusals -= 1
            return true
        }
        if !announced {
            Issue.record("\(fakeName) refused a request the real provider would refuse: \(violation)")
        }
    }
}
