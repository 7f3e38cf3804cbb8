import Foundation
import Synchronization

/// The webhook ids admitted lately, so that a genuine call replayed while its timestamp is still
/// accepted is refused. Only signed calls are recorded, so only the signer could fill it; past its
/// capacity the oldest ids go first.
struct RecentWebhookIDs {
    let window: TimeInterval
    let capacity: Int
    private var order: [(id: String, at: Date)] = []
    private var head = 0
    private var seen: Set<String> = []

    init(window: TimeInterval, capacity: Int) {
        self.window = window
        self.capacity = capacity
    }

    /// Records `id` and says whether it is new.
    mutating func admit(_ id: String, at now: Date) -> Bool {
        while head < order.count, order[head].at <= now.addingTimeInterval(-window) || order.count - head >= capacity {
            seen.remove(order[head].id)
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        guard seen.insert(id).inserted else { return false }
        order.append((id, now))
        return true
    }
}

/// ``RecentWebhookIDs`` shared by every request and kept across reloads.
package final class WebhookReplayGuard: Sendable {
    private let ids: Mutex<RecentWebhookIDs>

    /// Remembers ids for as long as a timestamp may be accepted, either side of now.
    package init() {
        ids = Mutex(RecentWebhookIDs(window: TimeInterval(2 * StandardWebhookSignature.tolerance), capacity: 100_000))
    }

    /// Records `id` and says whether it is new.
    func admit(_ id: String, at now: Date) -> Bool {
        ids.withLock { $0.admit(id, at: now) }
    }
}
