import Foundation
package import Logging
import Synchronization

/// Every provider's circuit breaker and Retry-After, shared by all sends of one daemon.
///
/// The breakers are small synchronous state, so they sit behind one `Mutex` and no lock is ever
/// held across an `await`. Logging happens after the lock is released.
package final class CircuitBreakerRegistry: Sendable {
    /// The longest Retry-After honoured: a provider (or a bug in one) must not switch itself off for days.
    package static let maximumRetryAfter = Duration.seconds(3600)

    /// Whether a send may go to a provider now.
    package enum Decision: Sendable, Hashable {
        /// Go ahead; `probe` when this send is the breaker's one half-open probe.
        case go(probe: Bool)
        case skip(SkipReason)
    }

    private struct Entry {
        var breaker: CircuitBreaker
        var retryAfterUntil: ContinuousClock.Instant?
    }

    private let settings: BreakerSettings
    private let clock: any SwitchboardClock
    private let entries: Mutex<[String: Entry]>
    /// Providers an operator took out of rotation; kept apart from the breakers, which know
    /// nothing of operators.
    private let paused: Mutex<Set<String>>

    /// - Parameters:
    ///   - settings: `delivery.breaker` from the configuration.
    ///   - clock: The time source; tests pass one they move by hand.
    ///   - paused: Providers paused from the start (carried over by a reload).
    package init(settings: BreakerSettings, clock: any SwitchboardClock = SystemClock(), paused: Set<String> = []) {
        self.settings = settings
        self.clock = clock
        self.entries = Mutex([:])
        self.paused = Mutex(paused)
    }

    /// The registry for a reloaded configuration: this one, when `settings` are unchanged, with the
    /// state of providers not in `kept` forgotten (their settings changed or they are gone); else a
    /// new one. Pauses of kept providers carry over either way.
    /// - Parameters:
    ///   - settings: The new `delivery.breaker`.
    ///   - kept: The providers whose definition and settings did not change.
    package func carriedOver(to settings: BreakerSettings, kept: Set<String>) -> CircuitBreakerRegistry {
        let stillPaused = paused.withLock { $0.intersection(kept) }
        guard settings == self.settings else {
            return CircuitBreakerRegistry(settings: settings, clock: clock, paused: stillPaused)
        }
        entries.withLock { entries in entries = entries.filter { kept.contains($0.key) } }
        paused.withLock { $0 = stillPaused }
        return self
    }

    /// Takes `provider` out of rotation until `resume`: sends skip it as behind an open breaker.
    /// - Returns: Whether it was running before.
    @discardableResult
    package func pause(_ provider: String) -> Bool {
        paused.withLock { $0.insert(provider).inserted }
    }

    /// Puts a paused provider back into rotation.
    /// - Returns: Whether it was paused.
    @discardableResult
    package func resume(_ provider: String) -> Bool {
        paused.withLock { $0.remove(provider) != nil }
    }

    /// The providers paused now.
    package var pausedProviders: Set<String> {
        paused.withLock { $0 }
    }

    /// Decides whether the next send may go to `provider`, taking the half-open probe slot if it does.
    /// A `.go(probe: true)` must be followed by `record(... probe: true)`.
    package func admit(_ provider: String, logger: Logger) -> Decision {
        if paused.withLock({ $0.contains(provider) }) { return .skip(.paused) }
        let now = clock.now
        let (decision, transition) = entries.withLock { entries -> (Decision, CircuitBreaker.Transition?) in
            var entry = entries[provider] ?? Entry(breaker: CircuitBreaker(settings: settings, now: now))
            defer { entries[provider] = entry }
            if let until = entry.retryAfterUntil {
                if now < until { return (.skip(.retryAfter(until: until)), nil) }
                entry.retryAfterUntil = nil
            }
            let (admission, transition) = entry.breaker.admit(now: now)
            switch admission {
            case .allowed: return (.go(probe: false), transition)
            case .probe: return (.go(probe: true), transition)
            case .rejected(let until): return (.skip(.breakerOpen(until: until)), transition)
            }
        }
        if let transition { log(transition, provider: provider, logger: logger) }
        return decision
    }

    /// Takes the result of an attempt that `admit` let through.
    /// - Parameters:
    ///   - provider: The provider tried.
    ///   - outcome: How the attempt ended; retryable and ambiguous count as failures.
    ///   - retryAfter: The provider's Retry-After, if it gave one.
    ///   - probe: The attempt was the half-open probe.
    ///   - logger: Where a change of state is logged.
    package func record(_ provider: String, outcome: AttemptOutcome, retryAfter: Duration?, probe: Bool, logger: Logger) {
        let now = clock.now
        let failed = outcome == .retryable || outcome == .ambiguous
        let transition = entries.withLock { entries -> CircuitBreaker.Transition? in
            var entry = entries[provider] ?? Entry(breaker: CircuitBreaker(settings: settings, now: now))
            defer { entries[provider] = entry }
            // Retry-After on an accepted message is no reason to stop sending to the provider.
            if let retryAfter, retryAfter > .zero, outcome != .accepted {
                entry.retryAfterUntil = now + min(retryAfter, Self.maximumRetryAfter)
            }
            return entry.breaker.record(failed: failed, probe: probe, now: now)
        }
        if let transition { log(transition, provider: provider, logger: logger) }
    }

    /// Forgets an attempt that `admit` let through but that ended without a verdict on the
    /// provider (the send was cancelled): a probe's slot is freed for the next send.
    package func abandon(_ provider: String, probe: Bool) {
        guard probe else { return }
        entries.withLock { entries in entries[provider]?.breaker.abandonProbe() }
    }

    /// Whether `admit` would let a send through now; a weighted split gives no share to a provider
    /// for which this is false.
    package func isAvailable(_ provider: String) -> Bool {
        if paused.withLock({ $0.contains(provider) }) { return false }
        let now = clock.now
        return entries.withLock { entries in
            guard let entry = entries[provider] else { return true }
            if let until = entry.retryAfterUntil, now < until { return false }
            return entry.breaker.wouldAdmit(now: now)
        }
    }

    /// How long until a send may go to at least one of `providers`: for each, the later of its
    /// open breaker's cool-down end and its Retry-After, and the earliest of those over all of them.
    /// A provider that may be sent to now, or whose half-open probe is in flight (it may settle
    /// at any moment), counts as zero; a paused one has no time, so it does not count. The HTTP
    /// API turns this into a 503's `Retry-After`.
    /// - Returns: `nil` when `providers` is empty or all of them are paused.
    package func timeUntilAvailable(_ providers: some Sequence<String>) -> Duration? {
        let now = clock.now
        let paused = pausedProviders
        return entries.withLock { entries in
            providers.filter { !paused.contains($0) }.map { provider -> Duration in
                guard let entry = entries[provider] else { return .zero }
                var until = now
                if let retryAfter = entry.retryAfterUntil { until = max(until, retryAfter) }
                if entry.breaker.state == .open { until = max(until, entry.breaker.since + entry.breaker.settings.openFor) }
                return now.duration(to: until)
            }.min()
        }
    }

    /// Every provider that has been sent to, with its breaker state and counts.
    package func states() -> [String: ProviderHealth] {
        let now = clock.now
        let date = clock.date
        func wallTime(_ instant: ContinuousClock.Instant) -> Date {
            date.addingTimeInterval((instant - now).timeInterval)
        }
        return entries.withLock { entries in
            entries.mapValues { entry in
                let window = entry.breaker.window(now: now)
                return ProviderHealth(
                    state: entry.breaker.state, since: wallTime(entry.breaker.since),
                    consecutiveFailures: entry.breaker.consecutiveFailures,
                    windowRequests: window.requests, windowFailures: window.failures,
                    retryAfterUntil: entry.retryAfterUntil.flatMap { $0 > now ? wallTime($0) : nil }
                )
            }
        }
    }

    private func log(_ transition: CircuitBreaker.Transition, provider: String, logger: Logger) {
        logger.info(
            "circuit breaker changed state",
            metadata: [
                "sb.provider": "\(provider)", "sb.breaker.from": "\(transition.from.rawValue)",
                "sb.breaker.to": "\(transition.to.rawValue)",
            ]
        )
    }
}
