extension ConfigParser {
    static let breakerKeys = ["failures", "failure_rate", "window", "min_requests", "open_for"]

    /// `delivery.breaker: { failures: 5, failure_rate: 50%, window: 60s, min_requests: 20, open_for: 30s }`;
    /// every key is optional (defaults in `BreakerSettings`).
    static func readBreaker(_ node: ConfigNode) -> BreakerSettings? {
        guard let entries = node.mapping(allowedKeys: breakerKeys) else { return nil }
        var settings = BreakerSettings()
        var valid = true
        if let failures = entries["failures"] {
            if let value = failures.integer(in: 1...10_000) { settings.consecutiveFailures = value } else { valid = false }
        }
        if let rate = entries["failure_rate"] {
            if let text = rate.string() {
                let digits = text.value.hasSuffix("%") ? String(text.value.dropLast()) : text.value
                if let percent = Int(digits.filter { $0 != " " }), (1...100).contains(percent) {
                    settings.failureRatePercent = percent
                } else {
                    rate.report("\(rate.describedPath) must be a percentage from 1% to 100%, such as 50%, not \(text.quoted)")
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let window = entries["window"] {
            if let value = window.duration(in: Duration.seconds(1)...Duration.seconds(3600)) { settings.window = value } else { valid = false }
        }
        if let minimum = entries["min_requests"] {
            if let value = minimum.integer(in: 1...1_000_000) { settings.minimumRequests = value } else { valid = false }
        }
        if let openFor = entries["open_for"] {
            if let value = openFor.duration(in: Duration.milliseconds(100)...Duration.seconds(3600)) { settings.openFor = value } else { valid = false }
        }
        if settings.failureRatePercent == nil, let node = entries["window"] ?? entries["min_requests"] {
            node.report("\(node.describedPath) only matters with 'delivery.breaker.failure_rate'; add failure_rate (such as 50%) or remove it")
            valid = false
        }
        return valid ? settings : nil
    }
}
