extension ConfigParser {
    /// `delivery.async: { workers: 256, max_queued: 100000, poll: 1s }`; every key is optional
    /// (defaults in `AsyncDeliverySettings`).
    static func readAsyncDelivery(_ node: ConfigNode) -> AsyncDeliverySettings? {
        guard let entries = node.mapping(allowedKeys: AsyncDeliverySettings.keys) else { return nil }
        var settings = AsyncDeliverySettings()
        var valid = true
        if let workers = entries["workers"] {
            if let value = workers.integer(in: AsyncDeliverySettings.workersBounds) { settings.workers = value } else { valid = false }
        }
        if let maxQueued = entries["max_queued"] {
            if let value = maxQueued.integer(in: AsyncDeliverySettings.maxQueuedBounds) { settings.maxQueued = value } else { valid = false }
        }
        if let poll = entries["poll"] {
            if let value = poll.duration(in: AsyncDeliverySettings.pollBounds) { settings.poll = value } else { valid = false }
        }
        return valid ? settings : nil
    }
}
