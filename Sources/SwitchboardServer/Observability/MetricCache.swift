import Synchronization

/// Metric objects by their label values, each made once: recording is a dictionary lookup under a
/// lock, never a registration or a string built from the labels.
final class MetricCache<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let make: @Sendable (Key) -> Metric
    private let made = Mutex<[Key: Metric]>([:])

    init(_ make: @escaping @Sendable (Key) -> Metric) {
        self.make = make
    }

    subscript(_ key: Key) -> Metric {
        if let metric = made.withLock({ $0[key] }) { return metric }
        // Made outside the lock: the registry takes its own. A race makes the same series twice,
        // and the registry hands back the one it has.
        let metric = make(key)
        return made.withLock { made in
            if let existing = made[key] { return existing }
            made[key] = metric
            return metric
        }
    }
}
