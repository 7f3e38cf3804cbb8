extension ConfigParser {
    /// `server.timeouts: { header: 10s, body: 30s, idle: 60s }` and `server.max_connections: 1024`;
    /// every key is optional (defaults in `ConnectionLimits`).
    static func readConnectionLimits(timeouts: ConfigNode?, maxConnections: ConfigNode?) -> ConnectionLimits? {
        var limits = ConnectionLimits()
        var valid = true
        if let maxConnections {
            if let value = maxConnections.integer(in: 1...1_000_000) { limits.maxConnections = value } else { valid = false }
        }
        guard let timeouts else { return valid ? limits : nil }
        guard let entries = timeouts.mapping(allowedKeys: ["header", "body", "idle"]) else { return nil }
        let range = Duration.milliseconds(100)...Duration.seconds(3600)
        for (key, path) in [("header", \ConnectionLimits.header), ("body", \.body), ("idle", \.idle)] {
            guard let node = entries[key] else { continue }
            if let value = node.duration(in: range) { limits[keyPath: path] = value } else { valid = false }
        }
        return valid ? limits : nil
    }

    /// `server.credential_failures: { failures: 10, window: 60s, block: 60s }`; every key is optional.
    static func readCredentialFailureLimits(_ node: ConfigNode?) -> CredentialFailureLimits? {
        var limits = CredentialFailureLimits()
        guard let node else { return limits }
        guard let entries = node.mapping(allowedKeys: ["failures", "window", "block"]) else { return nil }
        var valid = true
        if let failures = entries["failures"] {
            if let value = failures.integer(in: 1...1_000_000) { limits.failures = value } else { valid = false }
        }
        let range = Duration.seconds(1)...Duration.seconds(86_400)
        for (key, path) in [("window", \CredentialFailureLimits.window), ("block", \.block)] {
            guard let node = entries[key] else { continue }
            if let value = node.duration(in: range) { limits[keyPath: path] = value } else { valid = false }
        }
        return valid ? limits : nil
    }
}
