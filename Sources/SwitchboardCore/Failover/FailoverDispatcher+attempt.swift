import Logging
import Synchronization

extension FailoverDispatcher {
    /// One provider call, cut off at `deadline`.
    ///
    /// The call is a child task of the attempt and races an alarm set at the deadline (`alarms`):
    /// the first to finish answers, and the call is then cancelled. The attempt waits for its call
    /// to end, so no call outlives its send: every provider here honours cancellation (the HTTP
    /// transport gives its request up), and one that did not would hold its send until it returned,
    /// its attempt still recorded as cut off. A provider that answers after being cut off is logged
    /// and otherwise ignored (its attempt is ambiguous, which is what it was at the time). The
    /// limiter's slot is given back when the call is over, not when it is cut off.
    func attempt(
        _ name: String, _ message: OutboundMessage, until deadline: ContinuousClock.Instant, holding limiter: ProviderLimiter?, logger: Logger
    ) async -> ProviderResponse {
        guard let provider = providers[name] else {
            limiter?.release()
            // Config validation forbids this; answer rather than crash if it ever happens.
            return ProviderResponse(outcome: .retryable, code: "unknown_provider", message: "no provider named '\(name)' is configured")
        }
        let race = AttemptRace()
        let alarms = self.alarms
        return await withTaskGroup(of: Void.self) { group in
            // A cancelled send still starts the call, cancelled: it gives the limiter's slot back.
            group.addTask {
                let response = await provider.send(message, deadline: deadline, logger: logger)
                limiter?.release()
                if !race.finish(response) {
                    logger.debug(
                        "provider answered after its attempt was cut off",
                        metadata: ["sb.provider": "\(name)", "sb.outcome": "\(response.outcome.rawValue)", "sb.message.id": "\(message.id)"]
                    )
                }
            }
            alarms.set(race, at: deadline)
            let response = await withTaskCancellationHandler {
                await race.answer()
            } onCancel: {
                race.finish(ProviderResponse(outcome: .ambiguous, code: "cancelled", message: "the send was cancelled during the attempt; the provider may have sent it"))
            }
            group.cancelAll()
            return response
        }
    }
}

/// The first answer of a provider call, its cut-off and its send's cancellation, handed to the
/// waiting attempt exactly once.
final class AttemptRace: Alarm {
    private struct State {
        var continuation: CheckedContinuation<ProviderResponse, Never>?
        /// The answer, when it came before the attempt waited for it.
        var early: ProviderResponse?
        var finished = false
    }

    private let state = Mutex(State())

    static let timedOut = ProviderResponse(
        outcome: .ambiguous, code: "attempt_timeout", message: "no answer within the attempt's time limit; the provider may have sent it"
    )

    /// The first answer.
    func answer() async -> ProviderResponse {
        await withCheckedContinuation { continuation in
            let early = state.withLock { state -> ProviderResponse? in
                if state.finished { return state.early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }
    }

    /// Hands `response` to the attempt if nothing answered before.
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

    /// The attempt's deadline has come: it is cut off, unless answered before.
    func ring() {
        finish(Self.timedOut)
    }
}
