import ServiceLifecycle
import SwitchboardCore
import Synchronization

/// Wakes one waiting task: rung while nobody waits, the next wait returns at once. Rings do not
/// add up; the waiter looks for all the work there is whenever it wakes.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (or at once after an unheard one), or when the task is cancelled.
    /// One task waits at a time.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let proceed = state.withLock { state in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if proceed { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Returns at the next ring, once `poll` has passed on `clock` (work that rings no bell: retries
    /// coming due, other daemons' work), or when a graceful shutdown starts.
    func wait(atMost poll: Duration, clock: any SwitchboardClock) async {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.wait() }
                group.addTask { try? await clock.sleep(until: clock.now + poll) }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
