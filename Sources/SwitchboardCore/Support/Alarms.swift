import Synchronization

/// Something an ``Alarms`` wakes at an instant: a provider call to cut off, a provider's queue to
/// look at again.
package protocol Alarm: AnyObject, Sendable {
    /// The instant it was set for has come (or, at shutdown, the alarms are being drained).
    func ring()
}

/// The daemon's one timer: the attempt cut-offs and the provider limiters' deadline and rate
/// wake-ups, rung from a single loop its owner runs.
///
/// Instants are grouped into slots of `granularity` and every alarm of a slot rings in one wake-up,
/// so a send costs a lock and an append here, never a timer of its own: at thousands of sends a
/// second, a sleeping task per send (and the wake-up each costs) was a visible share of a send.
/// An alarm rings up to one slot late, never early.
///
/// The loop runs in ``runUntilFinished()``, inside its owner's task (in the daemon, a service of
/// the service lifecycle, stopped after the server and the queued-message worker, whose sends it
/// serves); ``finish()`` ends it, and it rings what is left before it returns, so no waiter is left
/// without its answer.
package final class Alarms: Sendable {
    private struct State {
        /// Alarms to ring, by slot.
        var slots: [Int64: [any Alarm]] = [:]
        /// The slot the loop will wake for at the latest: a later alarm needs no wake-up, an
        /// earlier one does. `.min` while the loop is awake, as it looks at every slot before it sleeps.
        var loopWakesFor: Int64 = .min
        /// The loop, while it waits.
        var waiter: CheckedContinuation<Void, Never>?
        /// A wake-up that came while the loop was not waiting.
        var woken = false
        var finished = false

        mutating func wake() -> CheckedContinuation<Void, Never>? {
            defer { waiter = nil }
            if waiter == nil { woken = true }
            return waiter
        }
    }

    private let clock: any SwitchboardClock
    private let origin: ContinuousClock.Instant
    private let granularity: Duration
    private let state = Mutex(State())

    /// - Parameters:
    ///   - clock: The time source of the instants given.
    ///   - granularity: The length of a slot: alarms ring up to this late.
    package init(clock: any SwitchboardClock = SystemClock(), granularity: Duration = .milliseconds(10)) {
        precondition(granularity > .zero, "a slot has a length")
        self.clock = clock
        self.origin = clock.now
        self.granularity = granularity
    }

    /// The slot whose wake-up rings an alarm set for `instant`: the first that starts at or after it.
    package func slot(for instant: ContinuousClock.Instant) -> Int64 {
        // Rounded up, so nothing rings before its instant.
        Int64(((instant - origin) / granularity).rounded(.up))
    }

    /// Rings `alarm` at `instant` (or up to one slot later). After ``finish()``, at once.
    package func set(_ alarm: any Alarm, at instant: ContinuousClock.Instant) {
        let slot = self.slot(for: instant)
        let (loop, ringNow) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool) in
            guard !state.finished else { return (nil, true) }
            state.slots[slot, default: []].append(alarm)
            guard slot < state.loopWakesFor else { return (nil, false) }
            state.loopWakesFor = slot
            return (state.wake(), false)
        }
        loop?.resume()
        if ringNow { alarm.ring() }
    }

    /// How many alarms wait to ring; for tests.
    package var pending: Int { state.withLock { $0.slots.values.reduce(0) { $0 + $1.count } } }

    /// Rings alarms as their slots come, until ``finish()`` or cancellation; then rings every alarm
    /// left and returns. Called once, by the owner.
    package func runUntilFinished() async {
        await withTaskCancellationHandler {
            while true {
                // The last slot that has started.
                let started = Int64(((clock.now - origin) / granularity).rounded(.down))
                let (due, next, finished) = state.withLock { state -> ([any Alarm], Int64?, Bool) in
                    var due: [any Alarm] = []
                    let last = state.finished ? .max : started
                    for key in state.slots.keys.filter({ $0 <= last }) {
                        due += state.slots.removeValue(forKey: key) ?? []
                    }
                    let next = state.slots.keys.min()
                    state.loopWakesFor = next ?? .max
                    return (due, next, state.finished)
                }
                for alarm in due { alarm.ring() }
                if finished { return }
                await sleep(untilSlot: next)
            }
        } onCancel: {
            self.finish()
        }
    }

    /// Stops the loop: ``runUntilFinished()`` rings what is left and returns; later alarms ring at once.
    package func finish() {
        state.withLock { state in
            state.finished = true
            return state.wake()
        }?.resume()
    }

    /// Waits until `slot` starts, or until something wakes the loop sooner (an earlier alarm, `finish`).
    private func sleep(untilSlot slot: Int64?) async {
        await withTaskGroup(of: Void.self) { group in
            if let slot {
                let instant = origin + granularity * slot
                group.addTask {
                    guard (try? await self.clock.sleep(until: instant)) != nil else { return }
                    self.state.withLock { $0.wake() }?.resume()
                }
            }
            await withCheckedContinuation { continuation in
                let proceed = state.withLock { state in
                    if state.woken || state.finished {
                        state.woken = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if proceed { continuation.resume() }
            }
            state.withLock { $0.loopWakesFor = .min }
            group.cancelAll()
        }
    }
}
