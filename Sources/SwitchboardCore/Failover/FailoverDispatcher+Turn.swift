import Foundation
import Logging

/// A provider's turn in a send, decided and recorded in synchronous calls, each never inlined:
/// what only they need (the breaker's decision, the attempt's record, the log's metadata) takes
/// room on the thread's stack for the call, not in the frame of `deliver`, which every send in
/// flight keeps while its provider answers.
extension FailoverDispatcher {
    /// A provider the send tries: when its turn started, and how long it may take.
    struct Turn {
        let start: ContinuousClock.Instant
        let startedAt: Date
        let deadline: ContinuousClock.Instant
        let probe: Bool
    }

    /// Whether a provider gets its turn.
    enum TurnDecision {
        case go(Turn)
        case skip(SkipReason)
    }

    /// A provider's turn, or why it is skipped: the send cancelled, its deadline used up, the
    /// provider's breaker open or its Retry-After not passed.
    @inline(never)
    func decideTurn(of name: String, until deadline: ContinuousClock.Instant, logger: Logger) -> TurnDecision {
        guard !Task.isCancelled else { return .skip(.cancelled) }
        let start = clock.now
        guard start < deadline else { return .skip(.deadlineExhausted) }
        switch breakers.admit(name, logger: logger) {
        case .skip(let reason):
            return .skip(reason)
        case .go(let probe):
            return .go(Turn(start: start, startedAt: clock.date, deadline: min(deadline, start + attemptTimeout), probe: probe))
        }
    }

    /// Adds a provider skipped, and why, to the send's attempts.
    @inline(never)
    func recordSkip(_ name: String, _ reason: SkipReason, in attempts: inout [DeliveryAttempt]) {
        attempts.append(skipped(name, reason))
    }

    /// A provider not tried, and why, as an attempt of the send.
    private func skipped(_ name: String, _ reason: SkipReason) -> DeliveryAttempt {
        let now = clock.now
        let explanation: String
        switch reason {
        case .breakerOpen(let until?):
            explanation = "circuit breaker open; next probe in \(Self.describe(until - now))"
        case .breakerOpen(nil):
            explanation = "circuit breaker half-open; its probe is in flight"
        case .retryAfter(let until):
            explanation = "provider asked to wait (Retry-After) another \(Self.describe(until - now))"
        case .deadlineExhausted:
            explanation = "the send's deadline was used up before this provider's turn"
        case .cancelled:
            explanation = "the send was cancelled before this provider's turn"
        case .queueFull:
            explanation = "every request slot to the provider was taken and its wait queue was full (max_in_flight, queue)"
        case .queueTimeout:
            explanation = "the send waited for a request slot to the provider until the attempt's time ran out (max_in_flight, rate)"
        case .paused:
            explanation = "paused by an operator (POST /admin/providers/\(name)/resume takes it back)"
        }
        return DeliveryAttempt(
            provider: name, outcome: .skipped, providerCode: reason.code, providerMessage: explanation,
            latencyMicroseconds: 0, startedAt: clock.date
        )
    }

    private static func describe(_ duration: Duration) -> String {
        let milliseconds = max(0, duration.wholeMicroseconds / 1000)
        return milliseconds >= 1000 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// Records a provider's answer: in its breaker, in the send's attempts, and in the log when it
    /// did not take the message.
    /// - Returns: Whether the send ends here (accepted, failed for good, or ambiguous where the
    ///   route says to stop); otherwise the next provider is tried.
    @inline(never)
    func record(
        _ answer: ProviderResponse, of name: String, _ turn: Turn, messageID: String, plan: DeliveryPlan, in attempts: inout [DeliveryAttempt],
        logger: Logger
    ) -> Bool {
        var response = answer
        if response.outcome == .skipped {
            // Only the dispatcher skips; a provider that says so has failed in an unknown way.
            response.outcome = .retryable
        }
        let elapsed = clock.now - turn.start
        if Task.isCancelled || !response.judgesProvider {
            // Cut short by our own caller, or failed on our own database: says nothing about the
            // provider's health.
            breakers.abandon(name, probe: turn.probe)
        } else {
            breakers.record(name, outcome: response.outcome, retryAfter: response.retryAfter, probe: turn.probe, logger: logger)
        }
        attempts.append(
            DeliveryAttempt(
                provider: name, outcome: response.outcome, providerCode: response.code,
                providerMessage: response.message, providerMessageID: response.providerMessageID,
                latencyMicroseconds: elapsed.wholeMicroseconds, startedAt: turn.startedAt
            )
        )
        if response.outcome != .accepted {
            logger.debug(
                "provider attempt failed",
                metadata: [
                    "sb.provider": "\(name)", "sb.outcome": "\(response.outcome.rawValue)",
                    "sb.provider.code": "\(response.code ?? "-")", "sb.message.id": "\(messageID)",
                ]
            )
        }
        switch response.outcome {
        case .accepted, .permanent: return true
        case .ambiguous: return plan.onAmbiguous == .stop
        case .retryable, .skipped: return false
        }
    }
}
