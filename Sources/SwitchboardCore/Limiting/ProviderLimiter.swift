import Synchronization

/// Holds sends to one provider to its limits (`ProviderLimits`): the waiting, the timers and the
/// locking around the pure `ProviderSlots`.
///
/// A send calls `acquire` before its attempt and, when granted, `release` once its request is over.
/// A queued send waits at most until the deadline it gives (its attempt's): then it is given up,
/// never sent late. Its deadline and the rate's next token are alarms of the daemon's one timer
/// (`Alarms`), which owns every wake-up: a waiting send holds no task or timer of its own.
package final class ProviderLimiter: Alarm {
    package enum Acquisition: Sendable, Hashable {
        /// A slot is held: send, then `release`.
        case granted
        /// Do not send to this provider: `.queueFull`, `.queueTimeout` or `.cancelled`.
        case skipped(SkipReason)
    }

    private struct State {
        var slots: ProviderSlots
        var nextTicket = 0
        /// Queued sends, by ticket, once their continuation is stored.
        var waiting: [ProviderSlots.Ticket: CheckedContinuation<Acquisition, Never>] = [:]
        /// Decisions taken before the waiter's continuation was stored.
        var decided: [ProviderSlots.Ticket: Acquisition] = [:]
        /// The alarm slots this limiter is set in.
        var wakes: Set<Int64> = []

        /// Hands each decision of `step` to its waiter, or keeps it for the waiter to pick up.
        mutating func resolve(_ step: ProviderSlots.Step) -> [(CheckedContinuation<Acquisition, Never>, Acquisition)] {
            var resumes: [(CheckedContinuation<Acquisition, Never>, Acquisition)] = []
            let decisions = step.admitted.map { ($0, Acquisition.granted) } + step.expired.map { ($0, Acquisition.skipped(.queueTimeout)) }
            for (ticket, decision) in decisions {
                if let continuation = waiting.removeValue(forKey: ticket) {
                    resumes.append((continuation, decision))
                } else {
                    decided[ticket] = decision
                }
            }
            return resumes
        }
    }

    private let clock: any SwitchboardClock
    private let alarms: Alarms
    private let state: Mutex<State>

    /// - Parameters:
    ///   - limits: The provider's limits.
    ///   - clock: The time source of deadlines and the rate (the one `alarms` runs on).
    ///   - alarms: Wakes the limiter to give up waiters at their deadline and let the rate's next
    ///     ones go, up to one of its slots late (never early).
    package init(limits: ProviderLimits, clock: any SwitchboardClock, alarms: Alarms) {
        self.clock = clock
        self.alarms = alarms
        self.state = Mutex(State(slots: ProviderSlots(limits: limits, now: clock.now)))
    }

    package var limits: ProviderLimits { state.withLock { $0.slots.limits } }
    /// Requests in flight.
    package var inFlight: Int { state.withLock { $0.slots.inFlight } }
    /// Sends waiting for a slot.
    package var waiting: Int { state.withLock { $0.slots.waiting } }

    /// Takes a slot, waiting for one in the queue until `deadline` at most.
    package func acquire(until deadline: ContinuousClock.Instant) async -> Acquisition {
        let now = clock.now
        let (ticket, admission) = state.withLock { state in
            let ticket = state.nextTicket
            state.nextTicket += 1
            return (ticket, state.slots.request(ticket, until: deadline, now: now))
        }
        switch admission {
        case .go: return .granted
        case .full: return .skipped(.queueFull)
        case .wait: break
        }
        schedule(at: deadline)
        if let due = state.withLock({ $0.slots.nextToken(now: now) }) { schedule(at: due) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let decided = state.withLock { state -> Acquisition? in
                    if let decided = state.decided.removeValue(forKey: ticket) { return decided }
                    state.waiting[ticket] = continuation
                    return nil
                }
                if let decided { continuation.resume(returning: decided) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Acquisition, Never>? in
                guard state.slots.withdraw(ticket) else { return nil }
                guard let continuation = state.waiting.removeValue(forKey: ticket) else {
                    state.decided[ticket] = .skipped(.cancelled)
                    return nil
                }
                return continuation
            }
            continuation?.resume(returning: .skipped(.cancelled))
        }
    }

    /// Gives back a slot that `acquire` granted, letting the next waiter go.
    package func release() {
        let now = clock.now
        let (resumes, due) = state.withLock { state in
            let step = state.slots.release(now: now)
            return (state.resolve(step), state.slots.nextToken(now: now))
        }
        for (continuation, decision) in resumes { continuation.resume(returning: decision) }
        if let due { schedule(at: due) }
    }

    /// Sets an alarm at `instant` (or up to one slot later), unless one is set in its slot already.
    private func schedule(at instant: ContinuousClock.Instant) {
        let slot = alarms.slot(for: instant)
        let opensSlot = state.withLock { $0.wakes.insert(slot).inserted }
        guard opensSlot else { return }
        alarms.set(self, at: instant)
    }

    /// Gives up the waiters whose deadline has passed and lets the rate's next ones go.
    package func ring() {
        let now = clock.now
        let lastDue = alarms.slot(for: now)
        let (resumes, due) = state.withLock { state in
            // Slots up to now have rung (a later ring of one of them finds nothing more to do).
            state.wakes = state.wakes.filter { $0 > lastDue }
            let step = state.slots.expire(now: now)
            return (state.resolve(step), state.slots.nextToken(now: now))
        }
        for (continuation, decision) in resumes { continuation.resume(returning: decision) }
        if let due { schedule(at: due) }
    }
}
