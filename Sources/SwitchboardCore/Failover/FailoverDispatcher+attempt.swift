import Logging

extension FailoverDispatcher {
    /// One provider call, cut off at `deadline`.
    ///
    /// A provider that keeps its deadline itself (``SMSProvider/answersByDeadline``) is called in
    /// the attempt's own task. Any other call is a child task of the attempt and races an alarm set
    /// at the deadline (`alarms`): the first to finish answers, and the call is then cancelled. The
    /// attempt waits for its call to end, so no call outlives its send: every provider here honours
    /// cancellation, and one that did not would hold its send until it returned, its attempt still
    /// recorded as cut off. A provider that answers after being cut off is logged and otherwise
    /// ignored (its attempt is ambiguous, which is what it was at the time). The limiter's slot is
    /// given back when the call is over, not when it is cut off.
    func attempt(
        _ name: String, _ message: OutboundMessage, until deadline: ContinuousClock.Instant, holding limiter: ProviderLimiter?, logger: Logger
    ) async -> ProviderResponse {
        guard let provider = providers[name] else {
            limiter?.release()
            return Self.unknown(name)
        }
        if provider.answersByDeadline, clock is SystemClock {
            // The provider ends its call by the deadline on the real clock, the one this dispatcher
            // runs on, and at once when the send is cancelled: racing it against a cut-off of our
            // own would only add a task and a resumption to every attempt.
            let response = await provider.send(message, deadline: deadline, logger: logger)
            limiter?.release()
            return response
        }
        return await race(provider, message, until: deadline, holding: limiter, logger: logger)
    }

    /// Config validation forbids a provider that is not configured; answer rather than crash if
    /// it ever happens. Never inlined: the answer is made on the thread's stack, not in the frame
    /// of `attempt`, which every send in flight keeps while its provider answers.
    @inline(never)
    private static func unknown(_ name: String) -> ProviderResponse {
        ProviderResponse(outcome: .retryable, code: "unknown_provider", message: "no provider named '\(name)' is configured")
    }

    /// The provider's call as a child task, raced against an alarm at the attempt's deadline and
    /// against the send's cancellation. A function of its own, never inlined: what the race needs
    /// stays out of the frame of `attempt`, on the path of every send.
    @inline(never)
    private func race(
        _ provider: any SMSProvider, _ message: OutboundMessage, until deadline: ContinuousClock.Instant, holding limiter: ProviderLimiter?,
        logger: Logger
    ) async -> ProviderResponse {
        let name = provider.name
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
            var response = await withTaskCancellationHandler {
                await race.answer()
            } onCancel: {
                race.finish(ProviderResponse(outcome: .ambiguous, code: "cancelled", message: "the send was cancelled during the attempt; the provider may have sent it"))
            }
            group.cancelAll()
            if !provider.judgedByTimeouts, response == AttemptRace.timedOut { response.judgesProvider = false }
            return response
        }
    }
}

/// The first answer of a provider call, its cut-off and its send's cancellation, handed to the
/// waiting attempt exactly once.
final class AttemptRace: Alarm {
    static let timedOut = ProviderResponse(
        outcome: .ambiguous, code: "attempt_timeout", message: "no answer within the attempt's time limit; the provider may have sent it"
    )

    private let first = FirstAnswer<ProviderResponse>()

    /// The first answer.
    func answer() async -> ProviderResponse {
        await first.value()
    }

    /// Hands `response` to the attempt if nothing answered before.
    /// - Returns: Whether this was the first answer.
    @discardableResult
    func finish(_ response: ProviderResponse) -> Bool {
        first.finish(response)
    }

    /// The attempt's deadline has come: it is cut off, unless answered before.
    func ring() {
        finish(Self.timedOut)
    }
}
