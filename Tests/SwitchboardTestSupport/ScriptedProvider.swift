package import Logging
import Synchronization
package import SwitchboardCore

/// A provider whose answers the test scripts, one per call, and which remembers what it was given.
/// When the script runs out, the last answer repeats. A `.hang` answer waits until cancelled.
package final class ScriptedProvider: SMSProvider {
    package enum Step: Sendable {
        case answer(ProviderResponse)
        /// Wait for the gate to open, then answer.
        case gated(Gate, ProviderResponse)
        /// Sleep until cancelled (a provider that honours cancellation).
        case hang
        /// Sleep this long, ignoring cancellation (a provider that does not).
        case stall(Duration)
    }

    package let name: String
    /// What it claims: the dispatcher then leaves cutting it off at its deadline to it.
    package let answersByDeadline: Bool
    package let judgedByTimeouts: Bool
    private let state: Mutex<(steps: [Step], calls: [OutboundMessage], deadlines: [ContinuousClock.Instant])>
    /// Decides each answer from the call number, from 1, when set; otherwise the script is used.
    private let rule: (@Sendable (Int) -> Step)?

    package init(_ name: String, _ steps: [Step], answersByDeadline: Bool = false, judgedByTimeouts: Bool = true) {
        self.name = name
        self.answersByDeadline = answersByDeadline
        self.judgedByTimeouts = judgedByTimeouts
        self.state = Mutex((steps, [], []))
        self.rule = nil
    }

    package init(_ name: String, rule: @escaping @Sendable (Int) -> Step) {
        self.name = name
        self.answersByDeadline = false
        self.judgedByTimeouts = true
        self.state = Mutex(([], [], []))
        self.rule = rule
    }

    package static func accepting(_ name: String) -> ScriptedProvider {
        ScriptedProvider(name, [.answer(.init(outcome: .accepted, providerMessageID: "\(name)-id"))])
    }

    package static func answering(_ name: String, _ outcome: AttemptOutcome, code: String? = nil, retryAfter: Duration? = nil) -> ScriptedProvider {
        ScriptedProvider(name, [.answer(.init(outcome: outcome, providerMessageID: outcome == .accepted ? "\(name)-id" : nil, code: code, retryAfter: retryAfter))])
    }

    package var calls: [OutboundMessage] { state.withLock { $0.calls } }
    package var callCount: Int { state.withLock { $0.calls.count } }
    /// The deadline each call was given.
    package var deadlines: [ContinuousClock.Instant] { state.withLock { $0.deadlines } }

    package func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        let step = state.withLock { state -> Step in
            state.calls.append(message)
            state.deadlines.append(deadline)
            if let rule { return rule(state.calls.count) }
            return state.steps.count > 1 ? state.steps.removeFirst() : state.steps[0]
        }
        switch step {
        case .answer(let response):
            return response
        case .gated(let gate, let response):
            await gate.wait()
            return response
        case .hang:
            try? await Task.sleep(for: .seconds(3600))
            return ProviderResponse(outcome: .accepted, providerMessageID: "too-late")
        case .stall(let duration):
            // A detached task's value is awaited without passing cancellation on: this ignores it.
            await Task.detached { try? await Task.sleep(for: duration) }.value
            return ProviderResponse(outcome: .accepted, providerMessageID: "too-late")
        }
    }
}
