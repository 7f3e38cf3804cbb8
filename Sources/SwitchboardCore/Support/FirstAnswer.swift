import Synchronization

/// The first of several possible answers (a call's result, a time limit, a cancellation), handed
/// exactly once to the task that waits for it, whether it came before that task waited or after.
package final class FirstAnswer<Value: Sendable>: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Value, Never>?
        /// The answer, when it came before anyone waited for it.
        var early: Value?
        var finished = false
    }

    private let state = Mutex(State())

    package init() {}

    /// Waits for the first answer. Only one task may wait.
    package func value() async -> Value {
        await withCheckedContinuation { continuation in
            let early = state.withLock { state -> Value? in
                if state.finished { return state.early }
                state.waiter = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }
    }

    /// Hands `value` to the waiting task if nothing answered before.
    /// - Returns: Whether this was the first answer.
    @discardableResult
    package func finish(_ value: Value) -> Bool {
        let waiter = state.withLock { state -> CheckedContinuation<Value, Never>?? in
            guard !state.finished else { return .none }
            state.finished = true
            if state.waiter == nil { state.early = value }
            defer { state.waiter = nil }
            return .some(state.waiter)
        }
        guard let waiter else { return false }
        waiter?.resume(returning: value)
        return true
    }
}
