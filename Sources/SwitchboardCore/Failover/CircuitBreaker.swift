/// One provider's circuit breaker: a pure state machine, driven by the instants it is given.
///
/// - closed: every send goes through; failures are counted. N in a row, or a failure rate over
///   the window, open it.
/// - open: the provider is skipped until `openFor` has passed.
/// - half-open: exactly one send (the probe) goes through; its success closes the breaker, its
///   failure opens it again for another `openFor`. Other sends skip the provider meanwhile.
///
/// Results of sends let through before the breaker opened are ignored once it is open or
/// half-open: only the probe decides whether the provider is back.
package struct CircuitBreaker: Sendable {
    package enum State: String, Sendable, Hashable, Codable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// Whether one send may go to the provider.
    package enum Admission: Sendable, Hashable {
        /// Closed: go ahead.
        case allowed
        /// Half-open: go ahead; this send is the one probe, and its result must be recorded with `probe: true`.
        case probe
        /// Skip the provider; `until` is when the cool-down ends, `nil` while a probe is in flight.
        case rejected(until: ContinuousClock.Instant?)
    }

    /// A change of state, to be logged once.
    package struct Transition: Sendable, Hashable {
        package var from: State
        package var to: State

        package init(from: State, to: State) {
            self.from = from
            self.to = to
        }
    }

    package let settings: BreakerSettings
    package private(set) var state: State = .closed
    /// When the breaker entered its state.
    package private(set) var since: ContinuousClock.Instant
    package private(set) var consecutiveFailures = 0
    package private(set) var probeInFlight = false

    /// The failure-rate window as a ring of buckets, so memory stays the same at any traffic.
    private static let bucketCount = 10
    private var buckets: [Bucket]
    private let origin: ContinuousClock.Instant

    private struct Bucket: Sendable {
        var index: Int64 = -1
        var requests = 0
        var failures = 0
    }

    package init(settings: BreakerSettings, now: ContinuousClock.Instant) {
        self.settings = settings
        self.since = now
        self.origin = now
        self.buckets = Array(repeating: Bucket(), count: Self.bucketCount)
    }

    /// Decides whether a send may go to the provider now, moving open → half-open once the
    /// cool-down is over.
    package mutating func admit(now: ContinuousClock.Instant) -> (Admission, Transition?) {
        switch state {
        case .closed:
            return (.allowed, nil)
        case .open:
            let reopensAt = since + settings.openFor
            guard now >= reopensAt else { return (.rejected(until: reopensAt), nil) }
            let transition = move(to: .halfOpen, now: now)
            probeInFlight = true
            return (.probe, transition)
        case .halfOpen:
            if probeInFlight { return (.rejected(until: nil), nil) }
            probeInFlight = true
            return (.probe, nil)
        }
    }

    /// Whether `admit` would let a send through now, without changing anything.
    package func wouldAdmit(now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .closed: true
        case .open: now >= since + settings.openFor
        case .halfOpen: !probeInFlight
        }
    }

    /// Takes the result of a send that `admit` let through.
    /// - Parameters:
    ///   - failed: The provider failed (retryable or ambiguous); an accepted or permanent answer
    ///     shows the provider is working.
    ///   - probe: The send was admitted as the probe.
    /// - Returns: The change of state, if any.
    package mutating func record(failed: Bool, probe: Bool, now: ContinuousClock.Instant) -> Transition? {
        switch state {
        case .halfOpen where probe:
            probeInFlight = false
            return move(to: failed ? .open : .closed, now: now)
        case .open, .halfOpen:
            return nil
        case .closed:
            consecutiveFailures = failed ? consecutiveFailures + 1 : 0
            let index = bucketIndex(now)
            let slot = Int(index % Int64(Self.bucketCount))
            if buckets[slot].index != index { buckets[slot] = Bucket(index: index) }
            buckets[slot].requests += 1
            if failed { buckets[slot].failures += 1 }
            guard failed else { return nil }
            if consecutiveFailures >= settings.consecutiveFailures { return move(to: .open, now: now) }
            if let percent = settings.failureRatePercent {
                let counts = window(now: now)
                if counts.requests >= settings.minimumRequests, counts.failures * 100 >= percent * counts.requests {
                    return move(to: .open, now: now)
                }
            }
            return nil
        }
    }

    /// Frees the half-open probe slot without a verdict, so that the next send probes instead.
    package mutating func abandonProbe() {
        if state == .halfOpen { probeInFlight = false }
    }

    /// Attempts and failures recorded over the last `window` while closed.
    package func window(now: ContinuousClock.Instant) -> (requests: Int, failures: Int) {
        let current = bucketIndex(now)
        var counts = (requests: 0, failures: 0)
        for bucket in buckets where bucket.index > current - Int64(Self.bucketCount) && bucket.index <= current {
            counts.requests += bucket.requests
            counts.failures += bucket.failures
        }
        return counts
    }

    private func bucketIndex(_ now: ContinuousClock.Instant) -> Int64 {
        let width = settings.window / Self.bucketCount
        return Int64(max(0, ((now - origin) / width).rounded(.down)))
    }

    private mutating func move(to newState: State, now: ContinuousClock.Instant) -> Transition {
        let transition = Transition(from: state, to: newState)
        state = newState
        since = now
        // While open the counts stay as they were when it opened, for the read API; a recovered
        // provider starts afresh, judged on what it does from now on.
        if newState == .closed {
            consecutiveFailures = 0
            buckets = Array(repeating: Bucket(), count: Self.bucketCount)
        }
        return transition
    }
}
