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
    let attemptTimeout: Duration
    let breakers: CircuitBreakerRegistry
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
        // What only deciding a turn or recording its outcome needs is made in synchronous calls
        // (`FailoverDispatcher+Turn.swift`): this function's frame is kept by every send in flight
        // while its provider answers.
        var attempts: [DeliveryAttempt] = []
        for name in order(plan) {
            let turn: Turn
            switch decideTurn(of: name, until: deadline, logger: logger) {
            case .skip(let reason):
                recordSkip(name, reason, in: &attempts)
                continue
            case .go(let admitted):
                turn = admitted
            }
            let limiter = limiters[name]
            if let limiter, case .skipped(let reason) = await limiter.acquire(until: turn.deadline) {
                // Not tried: says nothing about the provider's health, and frees a probe's slot.
                breakers.abandon(name, probe: turn.probe)
                recordSkip(name, reason, in: &attempts)
                continue
            }
            let response = await attempt(name, message, until: turn.deadline, holding: limiter, logger: logger)
            if record(response, of: name, turn, messageID: message.id, plan: plan, in: &attempts, logger: logger) {
                return attempts
            }
        }
        return attempts
    }

    /// The providers in the order this send tries them: the split, rotated by weight, then the fallbacks.
    func order(_ plan: DeliveryPlan) -> [String] {
        let split = splitter.order(route: plan.route, split: plan.split, isAvailable: breakers.isAvailable)
        return split + plan.fallbacks.filter { !split.contains($0) }
    }
}
