import Synchronization

/// The dispatcher's backstop timer: it cuts off provider calls that run past their attempt's deadline.
///
/// Deadlines are grouped into slots of `granularity`, with one sleeping task per slot rather than
/// one per attempt: at thousands of sends a second, a timer task for each attempt (and the timer
/// thread wake-up each one costs) was a visible share of a send. A cut-off comes up to
/// `granularity` late. That is fine for a backstop: providers on HTTP end their own calls exactly
/// at the deadline, so this only bounds a provider that ignores it.
final class AttemptCutoffs: Sendable {
    private let clock: any SwitchboardClock
    private let origin: ContinuousClock.Instant
    private let granularity: Duration
    /// Calls still to be cut off, by slot; a slot's entry exists while its sleeper does.
    private let slots = Mutex<[Int64: [AttemptRace]]>([:])

    init(clock: any SwitchboardClock, granularity: Duration = .milliseconds(10)) {
        precondition(granularity > .zero, "a slot has a length")
        self.clock = clock
        self.origin = clock.now
        self.granularity = granularity
    }

    /// Answers `race` with `response` at `deadline` (or up to one slot later) unless it was answered before.
    func cutOff(_ race: AttemptRace, at deadline: ContinuousClock.Instant, with response: ProviderResponse) {
        // Rounded up, so a call is never cut off before its deadline.
        let slot = Int64(((deadline - origin) / granularity).rounded(.up))
        let opensSlot = slots.withLock { slots in
            guard slots[slot] != nil else {
                slots[slot] = [race]
                return true
            }
            slots[slot]?.append(race)
            return false
        }
        guard opensSlot else { return }
        let wake = origin + granularity * slot
        Task {
            // Never cancelled: the slot holds calls of many sends.
            try? await clock.sleep(until: wake)
            let due = self.slots.withLock { $0.removeValue(forKey: slot) } ?? []
            for race in due { race.finish(response) }
        }
    }
}
