/// One provider's request slots, wait queue and send rate, as a value driven by the instants it is
/// given: no clock, no lock, no waiting inside (`ProviderLimiter` does those).
///
/// Waiters are served first come, first served: a new send never overtakes one that waits. A waiter
/// whose deadline has passed is never given a slot; it is reported as expired instead.
package struct ProviderSlots: Sendable {
    /// Tells waiters apart; the caller hands out distinct ones.
    package typealias Ticket = Int

    package enum Admission: Sendable, Hashable {
        /// A slot is taken for the caller: send now, and `release` when the request is over.
        case go
        /// The caller is queued; a later `release` or `expire` admits it or gives it up.
        case wait
        /// Every slot is taken and the queue is full.
        case full
    }

    /// What a change decided for waiters.
    package struct Step: Sendable, Hashable {
        /// Waiters that hold a slot now.
        package var admitted: [Ticket] = []
        /// Waiters whose deadline passed before a slot (or the rate) let them go.
        package var expired: [Ticket] = []

        package init(admitted: [Ticket] = [], expired: [Ticket] = []) {
            self.admitted = admitted
            self.expired = expired
        }
    }

    private struct Waiter: Sendable {
        var ticket: Ticket
        var deadline: ContinuousClock.Instant
    }

    package let limits: ProviderLimits
    /// Slots taken.
    package private(set) var inFlight = 0
    /// The queue, oldest first, from `head` on; the served prefix is dropped now and then.
    private var waiters: [Waiter] = []
    private var head = 0
    /// The rate's token bucket (unused without a rate), in billionths of a token: a nanosecond
    /// adds `rate` of them, so time and tokens convert without rounding.
    private var credit: Int64
    private var refilledAt: ContinuousClock.Instant

    /// - Parameters:
    ///   - limits: The provider's limits.
    ///   - now: The instant the rate's bucket starts, full.
    package init(limits: ProviderLimits, now: ContinuousClock.Instant) {
        self.limits = limits
        self.credit = Self.capacity(limits)
        self.refilledAt = now
    }

    /// Sends waiting for a slot.
    package var waiting: Int { waiters.count - head }

    /// Takes a slot for `ticket`, queues it, or refuses it.
    /// - Parameters:
    ///   - ticket: The caller's ticket.
    ///   - deadline: A queued caller is given up at this instant.
    ///   - now: The current instant.
    package mutating func request(_ ticket: Ticket, until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Admission {
        refill(now: now)
        if waiting == 0, inFlight < limits.maxInFlight, takeToken() {
            inFlight += 1
            return .go
        }
        guard waiting < limits.queue else { return .full }
        waiters.append(Waiter(ticket: ticket, deadline: deadline))
        return .wait
    }

    /// Gives a slot back and hands free slots to the waiters at the front of the queue.
    package mutating func release(now: ContinuousClock.Instant) -> Step {
        precondition(inFlight > 0, "a slot is released only once, after it was taken")
        inFlight -= 1
        var step = Step()
        admit(now: now, into: &step)
        return step
    }

    /// Gives up every waiter whose deadline has passed, and admits those that may go now (the rate
    /// may have let some through since the last change).
    package mutating func expire(now: ContinuousClock.Instant) -> Step {
        var step = Step()
        var kept: [Waiter] = []
        kept.reserveCapacity(waiting)
        for waiter in waiters[head...] {
            if waiter.deadline <= now { step.expired.append(waiter.ticket) } else { kept.append(waiter) }
        }
        waiters = kept
        head = 0
        admit(now: now, into: &step)
        return step
    }

    /// Takes `ticket` out of the queue (its send was cancelled).
    /// - Returns: Whether it was waiting; `false` when it was admitted or given up before.
    package mutating func withdraw(_ ticket: Ticket) -> Bool {
        guard let index = waiters[head...].firstIndex(where: { $0.ticket == ticket }) else { return false }
        waiters.remove(at: index)
        return true
    }

    /// When the rate lets the next waiter go, if only the rate holds the queue back.
    package func nextToken(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let rate = limits.rate, waiting > 0, inFlight < limits.maxInFlight else { return nil }
        var bucket = self
        bucket.refill(now: now)
        guard bucket.credit < Self.token else { return nil }
        let missing = Self.token - bucket.credit
        return now + .nanoseconds((missing + Int64(rate) - 1) / Int64(rate))
    }

    private mutating func admit(now: ContinuousClock.Instant, into step: inout Step) {
        refill(now: now)
        while head < waiters.count, inFlight < limits.maxInFlight {
            let waiter = waiters[head]
            if waiter.deadline <= now {
                step.expired.append(waiter.ticket)
                head += 1
                continue
            }
            guard takeToken() else { break }
            inFlight += 1
            step.admitted.append(waiter.ticket)
            head += 1
        }
        if head > 32, head * 2 > waiters.count {
            waiters.removeFirst(head)
            head = 0
        }
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard let rate = limits.rate, now > refilledAt else { return }
        // An empty bucket fills within a second at any rate, so counting at most a second of the
        // wait loses nothing and keeps the product far from overflow.
        let (seconds, attoseconds) = min(now - refilledAt, .seconds(1)).components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        credit = min(Self.capacity(limits), credit + nanoseconds * Int64(rate))
        refilledAt = now
    }

    private mutating func takeToken() -> Bool {
        guard limits.rate != nil else { return true }
        guard credit >= Self.token else { return false }
        credit -= Self.token
        return true
    }

    /// One token, in credit.
    private static let token: Int64 = 1_000_000_000

    /// The most a bucket holds: a tenth of a second's sends, at least one, so a rate is kept
    /// smoothly rather than spent in bursts of a whole second's sends.
    private static func capacity(_ limits: ProviderLimits) -> Int64 {
        guard let rate = limits.rate else { return 0 }
        return Int64(max(1, rate / 10)) * token
    }
}
