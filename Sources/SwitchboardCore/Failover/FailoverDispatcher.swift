import Foundation
package import Logging

/// Walks a route's providers by the failover rules (`shared/design.md`, "Failover rules"):
///
/// - accepted: stop, sent. permanent: stop, failed (the next provider would fail the same way).
/// - retryable: next provider. ambiguous: next provider or stop, as the plan says.
/// - A provider whose breaker is open, or whose Retry-After has not passed, is skipped and the
///   skip is recorded as an attempt with outcome `skipped`. So is a provider whose request slots
///   are all taken with its wait queue full, or for which a send waited in the queue until its
///   attempt's time ran out (`ProviderLimiter`): the wait counts against the attempt's time.
/// - One deadline for the whole send; each attempt gets at most `attemptTimeout` of what is left,
///   and is cut off when it overruns (recorded as ambiguous): by the dispatcher itself, or by the
///   provider when it keeps its own deadline (``SMSProvider/answersByDeadline``).
///
/// Pure logic: providers, clock and breakers are injected.
package struct FailoverDispatcher: DeliveryDispatcher {
    let providers: [String: any SMSProvider]
    private let attemptTimeout: Duration
    private let breakers: CircuitBreakerRegistry
    private let splitter: WeightedSplitter
    /// Each limited provider's slots and queue, by name.
    package let limiters: [String: ProviderLimiter]
    let clock: any SwitchboardClock
    /// Cuts off provider calls that run past their attempt's deadline, and wakes the limiters.
    package let alarms: Alarms

    /// - Parameters:
    ///   - providers: Every configured provider, by name.
    ///   - attemptTimeout: The longest one attempt may take (`delivery.attempt_timeout`).
    ///   - breakers: The daemon's breakers, shared by every send.
    ///   - limits: How hard each provider may be pushed, by name; a provider not named here is not limited.
    ///   - splitter: The daemon's weighted-split rotation, shared by every send.
    ///   - clock: The time source.
    ///   - alarms: The daemon's one timer, running on `clock`: the backstop that cuts off a call
    ///     past its attempt's deadline, and the limiters' wake-ups.
    ///   - reusing: Limiters to keep rather than build, by name (a reload keeps those of unchanged
    ///     providers, with the sends they hold and queue).
    package init(
        providers: [any SMSProvider], attemptTimeout: Duration, breakers: CircuitBreakerRegistry, limits: [String: ProviderLimits] = [:],
        splitter: WeightedSplitter = WeightedSplitter(), clock: any SwitchboardClock = SystemClock(), alarms: Alarms,
        reusing: [String: ProviderLimiter] = [:]
    ) {
        self.providers = Dictionary(providers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.attemptTimeout = attemptTimeout
        self.breakers = breakers
        self.splitter = splitter
        self.limiters = Dictionary(uniqueKeysWithValues: limits.map { name, limits in (name, reusing[name] ?? ProviderLimiter(limits: limits, clock: clock, alarms: alarms)) })
        self.clock = clock
        self.alarms = alarms
    }

    package func deliver(_ message: OutboundMessage, plan: DeliveryPlan, deadline: ContinuousClock.Instant, logger: Logger) async -> [DeliveryAttempt] {
        let chain = order(plan)
        var attempts: [DeliveryAttempt] = []
        for name in chain {
            guard !Task.isCancelled else {
                attempts.append(skipped(name, .cancelled))
                continue
            }
            let start = clock.now
            guard start < deadline else {
                attempts.append(skipped(name, .deadlineExhausted))
                continue
            }
            let probe: Bool
            switch breakers.admit(name, logger: logger) {
            case .skip(let reason):
                attempts.append(skipped(name, reason))
                continue
            case .go(let isProbe):
                probe = isProbe
            }
            let startedAt = clock.date
            let attemptDeadline = min(deadline, start + attemptTimeout)
            let limiter = limiters[name]
            if let limiter, case .skipped(let reason) = await limiter.acquire(until: attemptDeadline) {
                // Not tried: says nothing about the provider's health, and frees a probe's slot.
                breakers.abandon(name, probe: probe)
                attempts.append(skipped(name, reason))
                continue
            }
            var response = await attempt(name, message, until: attemptDeadline, holding: limiter, logger: logger)
            if response.outcome == .skipped {
                // Only the dispatcher skips; a provider that says so has failed in an unknown way.
                response.outcome = .retryable
            }
            let elapsed = clock.now - start
            if Task.isCancelled {
                // Cut short by our own caller: says nothing about the provider's health.
                breakers.abandon(name, probe: probe)
            } else {
                breakers.record(name, outcome: response.outcome, retryAfter: response.retryAfter, probe: probe, logger: logger)
            }
            attempts.append(
                DeliveryAttempt(
                    provider: name, outcome: response.outcome, providerCode: response.code,
                    providerMessage: response.message, providerMessageID: response.providerMessageID,
                    latencyMicroseconds: elapsed.wholeMicroseconds, startedAt: startedAt
                )
            )
            if response.outcome != .accepted {
                logger.logOutsideFrame(
                    .debug, "provider attempt failed",
                    metadata: [
                        "sb.provider": "\(name)", "sb.outcome": "\(response.outcome.rawValue)",
                        "sb.provider.code": "\(response.code ?? "-")", "sb.message.id": "\(message.id)",
                    ]
                )
            }
            switch response.outcome {
            case .accepted, .permanent: return attempts
            case .ambiguous where plan.onAmbiguous == .stop: return attempts
            case .ambiguous, .retryable, .skipped: continue
            }
        }
        return attempts
    }

    /// The providers in the order this send tries them: the split, rotated by weight, then the fallbacks.
    func order(_ plan: DeliveryPlan) -> [String] {
        let split = splitter.order(route: plan.route, split: plan.split, isAvailable: breakers.isAvailable)
        return split + plan.fallbacks.filter { !split.contains($0) }
    }

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
}
