package import Foundation
import Synchronization
import SwitchboardCore

/// The one clock tests move by hand: breaker cool-downs, Retry-After, attempt timeouts, code expiry
/// and lockouts pass when the test says so, never because a starved runner was slow. `now` feeds the
/// Core clock protocol and `date` the wall-time closures. Sleepers wake when `advance` takes the time
/// past their deadline, or throw when cancelled.
package final class ManualClock: SwitchboardClock {
    private struct Sleeper {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var offset: Duration = .zero
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
    }

    private let base = ContinuousClock.now
    private let baseDate = Date(timeIntervalSince1970: 1_800_000_000)
    private let state = Mutex(State())

    package init() {}

    package var now: ContinuousClock.Instant { base + state.withLock { $0.offset } }
    package var date: Date { baseDate.addingTimeInterval(state.withLock { $0.offset }.timeInterval) }

    /// How many tasks are asleep on the clock.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves the time on, waking every sleeper whose deadline it passes.
    package func advance(by duration: Duration) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.offset += duration
            let now = base + state.offset
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        woken.forEach { $0.resume() }
    }

    package func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= base + state.offset { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
