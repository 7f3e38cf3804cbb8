extension ConfigParser {
    /// `retention: { messages: 90d, inbox: 7d, sessions: 30d, challenges: 1d, batch: 50, pause: 10ms, every: 10m }`;
    /// every key is optional (defaults in `RetentionSettings`), and a window may be `forever`.
    static func readRetention(_ node: ConfigNode?) -> RetentionSettings? {
        var settings = RetentionSettings()
        guard let node else { return settings }
        guard let entries = node.mapping(allowedKeys: RetentionSettings.keys) else { return nil }
        var valid = true
        for kind in RetainedKind.allCases {
            guard let window = entries[kind.rawValue] else { continue }
            guard let text = window.nonEmptyString() else {
                valid = false
                continue
            }
            if text.value == RetentionSettings.forever {
                settings.setWindow(kind, nil)
                continue
            }
            let bounds = RetentionSettings.windowBounds
            guard let duration = Duration(configText: text.value), bounds.contains(duration) else {
                window.report(
                    "\(window.describedPath) is \(text.quoted); write how long to keep \(kind.rawValue), from \(bounds.lowerBound.configText) to 36500d, such as 90d or 12h, or forever to keep them for good"
                )
                valid = false
                continue
            }
            settings.setWindow(kind, duration)
        }
        if let batch = entries["batch"] {
            if let value = batch.integer(in: RetentionSettings.batchBounds) { settings.batch = value } else { valid = false }
        }
        if let pause = entries["pause"] {
            if let value = pause.duration(in: RetentionSettings.pauseBounds) { settings.pause = value } else { valid = false }
        }
        if let every = entries["every"] {
            if let value = every.duration(in: RetentionSettings.everyBounds) { settings.every = value } else { valid = false }
        }
        return valid ? settings : nil
    }
}
