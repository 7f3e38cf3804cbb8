import Logging
import Synchronization
import SwitchboardCore

/// A provider whose answers the test scripts, one per call, and which counts its calls.
/// When the script runs out, the last answer repeats. A `.hang` answer waits until cancelled.
final class ScriptProvider: SMSProvider {
    enum Step: Sendable {
        case answer(ProviderResponse)
        /// Wait for the gate to open, then answer.
        case gated(Gate, ProviderResponse)
        /// Sleep until cancelled (a provider that honours cancellation).
        case hang
        /// Sleep this long, ignoring cancellation (a provider that does not).
        case stall(Duration)
    }

    let name: String
    private let state: Mutex<(steps: [Step], calls: [OutboundMessage], deadlines: [ContinuousClock.Instant])>
    /// Decides each answer from the call number, from 1, when set; otherwise the script is used.
    private let rule: (@Sendable (Int) -> Step)?

    init(_ name: String, _ steps: [Step]) {
        self.name = name
        self.state = Mutex((steps, [], []))
        self.rule = nil
    }

    init(_ name: String, rule: @escaping @Sendable (Int) -> Step) {
        self.name = name
        self.state = Mutex(([], [], []))
        self.rule = rule
    }

    static func accepting(_ name: String) -> ScriptProvider {
        ScriptProvider(name, [.answer(.init(outcome: .accepted, providerMessageID: "\(name)-id"))])
    }

    static func answering(_ name: String, _ outcome: AttemptOutcome, code: String? = nil, retryAfter: Duration? = nil) -> ScriptProvider {
        ScriptProvider(name, [.answer(.init(outcome: outcome, providerMessageID: outcome == .accepted ? "\(name)-id" : nil, code: code, retryAfter: retryAfter))])
    }

    var calls: [OutboundMessage] { state.withLock { $0.calls } }
    var callCount: Int { state.withLock { $0.calls.count } }
    /// The deadline each call was given.
    var deadlines: [ContinuousClock.Instant] { state.withLock { $0.deadlines } }

    func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
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

/// Holds a scripted provider's answer until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
}
