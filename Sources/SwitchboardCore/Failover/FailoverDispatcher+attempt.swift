import Logging
import Synchronization

extension FailoverDispatcher {
    /// One provider call, cut off at `deadline` whatever the provider does.
    ///
    /// The call races the dispatcher's cut-off timer; the first to finish answers. The call runs in
    /// an unstructured task on purpose: a task group would wait for a provider that ignores
    /// cancellation, and a hung provider must not hold the send past its deadline. A call that
    /// loses is cancelled; a provider that answers after being cut off is logged and otherwise
    /// ignored (its attempt is already recorded as ambiguous, which is what it was at the time).
    /// The limiter's slot is given back when the call is over, not when it is cut off: a provider
    /// that ignores the deadline still holds its slot.
    func attempt(
        _ name: String, _ message: OutboundMessage, until deadline: ContinuousClock.Instant, holding limiter: ProviderLimiter?, logger: Logger
    ) async -> ProviderResponse {
        guard let provider = providers[name] else {
            limiter?.release()
            // Config validation forbids this; answer rather than crash if it ever happens.
            return ProviderResponse(outcome: .retryable, code: "unknown_provider", message: "no provider named '\(name)' is configured")
        }
        let race = AttemptRace()
        let cutoffs = self.cutoffs
        var called = false
        let response = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.arm(continuation) {
                    called = true
                    let call = Task {
                        let response = await provider.send(message, deadline: deadline, logger: logger)
                        limiter?.release()
                        if !race.finish(response) {
                            logger.debug(
                                "provider answered after its attempt was cut off",
                                metadata: ["sb.provider": "\(name)", "sb.outcome": "\(response.outcome.rawValue)", "sb.message.id": "\(message.id)"]
                            )
                        }
                    }
                    cutoffs.cutOff(race, at: deadline, with: Self.timedOut)
                    return call
                }
            }
        } onCancel: {
            race.finish(ProviderResponse(outcome: .ambiguous, code: "cancelled", message: "the send was cancelled during the attempt; the provider may have sent it"))
        }
        race.cancelCall()
        // Answered before the call could start (the send was cancelled): nothing holds the slot.
        if !called { limiter?.release() }
        return response
    }

    private static let timedOut = ProviderResponse(
        outcome: .ambiguous, code: "attempt_timeout", message: "no answer within the attempt's time limit; the provider may have sent it"
    )
}

/// The first answer of a provider call and its cut-off, handed to the waiting send exactly once.
final class AttemptRace: Sendable {
    private struct State {
        var continuation: CheckedContinuation<ProviderResponse, Never>?
        /// An answer that came before the continuation was armed (a send cancelled at once).
        var early: ProviderResponse?
        var finished = false
        var call: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Installs the continuation and starts the call, or resumes at once if an answer came first.
    func arm(_ continuation: CheckedContinuation<ProviderResponse, Never>, start: () -> Task<Void, Never>) {
        let early = state.withLock { state -> ProviderResponse? in
            if state.finished { return state.early }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(returning: early)
            return
        }
        let call = start()
        let finishedMeanwhile = state.withLock { state in
            state.call = call
            return state.finished
        }
        if finishedMeanwhile { call.cancel() }
    }

    /// Hands `response` to the send if nothing answered before.
    /// - Returns: Whether this was the first answer.
    @discardableResult
    func finish(_ response: ProviderResponse) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<ProviderResponse, Never>?? in
            guard !state.finished else { return .none }
            state.finished = true
            if state.continuation == nil { state.early = response }
            defer { state.continuation = nil }
            return .some(state.continuation)
        }
        guard let continuation else { return false }
        continuation?.resume(returning: response)
        return true
    }

    /// Cancels the call if it is still running, and lets go of it: the cut-off timer keeps the
    /// race until its slot comes, and should not keep the call's task too.
    func cancelCall() {
        state.withLock { state in
            defer { state.call = nil }
            return state.call
        }?.cancel()
    }
}
