import SwitchboardCore
import Synchronization

/// The daemon's view of the queue of messages accepted for later delivery: how many there are,
/// against `delivery.async.max_queued`, and the doorbell that wakes its worker when one is added.
///
/// The count is this daemon's: what the store held when the worker last found the queue empty or
/// started, plus what it accepted since, minus what it claimed. Daemons sharing a store each
/// recount whenever their worker finds the queue empty.
package final class AsyncQueue: Sendable {
    /// The most messages that may be queued (`delivery.async.max_queued`).
    package let maxQueued: Int
    let doorbell = Doorbell()
    private let queued = Mutex(0)

    package init(maxQueued: Int) {
        self.maxQueued = maxQueued
    }

    /// Messages queued, as this daemon counts them.
    package var count: Int { queued.withLock { $0 } }

    /// Takes a place in the queue for a message about to be saved.
    /// - Returns: `false` when the queue is full.
    func reserve() -> Bool {
        queued.withLock { count in
            guard count < maxQueued else { return false }
            count += 1
            return true
        }
    }

    /// Gives back a place ``reserve()`` took for a message that was not saved after all.
    func cancelReservation() {
        queued.withLock { $0 = max(0, $0 - 1) }
    }

    /// A message was saved as queued: the worker should look for it.
    func added() {
        doorbell.ring()
    }

    /// A message the worker had claimed is queued again.
    func requeued() {
        queued.withLock { $0 += 1 }
    }

    /// The worker claimed `count` messages.
    func claimed(_ count: Int) {
        queued.withLock { $0 = max(0, $0 - count) }
    }

    /// The store's own count replaces this daemon's.
    func recount(_ count: Int) {
        queued.withLock { $0 = count }
    }
}
