/// What a reload changes, worked out from the running configuration and the new one: for the
/// one-line log summary, the admin answer, and which provider instances a reload may keep.
///
/// Never holds a secret: keys, tokens and provider settings are compared, only names are kept.
package struct ConfigurationChange: Sendable, Equatable {
    /// Names added, removed and changed in one section.
    package struct Names: Sendable, Equatable {
        package var added: [String] = []
        package var removed: [String] = []
        package var changed: [String] = []

        package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

        init<Item>(old: [Item], new: [Item], name: (Item) -> String, same: (Item, Item) -> Bool) {
            let oldByName = Dictionary(old.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
            let newNames = Set(new.map(name))
            for item in new {
                guard let before = oldByName[name(item)] else {
                    added.append(name(item))
                    continue
                }
                if !same(before, item) { changed.append(name(item)) }
            }
            removed = old.map(name).filter { !newNames.contains($0) }
        }

        /// `added a, b; removed c; changed d`.
        var summary: String {
            [("added", added), ("removed", removed), ("changed", changed)]
                .filter { !$0.1.isEmpty }
                .map { "\($0.0) \($0.1.joined(separator: ", "))" }
                .joined(separator: "; ")
        }
    }

    package var routes: Names
    package var providers: Names
    package var apps: Names
    package var templates: Names
    /// API keys by name; a key whose value changed under the same name is `changed` (rotated).
    package var apiKeys: Names
    package var adminTokensChanged: Bool
    /// Other sections whose values changed and apply at once (`delivery`, `messages`, ...).
    package var otherSections: [String]
    /// Settings that changed but only take effect after a restart, as config paths.
    package var needsRestart: [String]
    /// Providers whose settings and type definition are the same in both: they keep their
    /// instance, breaker, limiter and cached OAuth2 token.
    package var unchangedProviders: Set<String>

    /// - Parameters:
    ///   - old: The running configuration.
    ///   - new: The configuration about to replace it.
    ///   - oldFingerprints: The running provider types' digests (see `LoadedConfiguration`).
    ///   - newFingerprints: The new provider types' digests.
    package init(from old: SwitchboardConfig, to new: SwitchboardConfig, oldFingerprints: [String: String] = [:], newFingerprints: [String: String] = [:]) {
        routes = Names(old: old.routes, new: new.routes, name: \.name, same: ==)
        providers = Names(old: old.providers, new: new.providers, name: \.name) { before, after in
            before == after && oldFingerprints[before.type] == newFingerprints[after.type]
        }
        let changedProviders = Set(providers.changed)
        unchangedProviders = Set(new.providers.map(\.name)).intersection(old.providers.map(\.name)).subtracting(changedProviders)
        apps = Names(old: old.apps, new: new.apps, name: \.id, same: ==)
        templates = Names(old: old.templates.sorted { $0.key < $1.key }, new: new.templates.sorted { $0.key < $1.key }, name: { $0.key }) { $0.value == $1.value }
        apiKeys = Names(old: old.server.apiKeys, new: new.server.apiKeys, name: \.name) { $0.key == $1.key }
        adminTokensChanged = old.admin.tokens != new.admin.tokens
        var other: [String] = []
        if old.delivery != new.delivery { other.append("delivery") }
        if old.messages.maxSegments != new.messages.maxSegments { other.append("messages") }
        if old.server.issuer != new.server.issuer { other.append("server.issuer") }
        if old.retention != new.retention { other.append("retention") }
        otherSections = other
        var restart: [String] = []
        if old.server.host != new.server.host || old.server.port != new.server.port { restart.append("server.listen") }
        if old.storage != new.storage { restart.append("storage") }
        if old.admin.listen != new.admin.listen { restart.append("admin.listen") }
        if old.server.connections != new.server.connections {
            restart.append("server.timeouts/server.max_connections")
        }
        if old.server.credentialFailures != new.server.credentialFailures {
            restart.append("server.credential_failures")
        }
        if old.server.watchConfig != new.server.watchConfig { restart.append("server.watch_config") }
        if old.server.logFormat != new.server.logFormat { restart.append("server.log_format") }
        if old.server.threads != new.server.threads { restart.append("server.threads") }
        // The worker of queued messages and its queue bound are started once.
        if old.delivery.asynchronous != new.delivery.asynchronous { restart.append("delivery.async") }
        // The one HTTP client's pool is sized at start-up for every provider's slots.
        let slots = { (config: SwitchboardConfig) in config.providers.reduce(0) { $0 + $1.limits.maxInFlight } }
        if slots(new) > slots(old) { restart.append("providers.*.max_in_flight (the HTTP client's connection pool)") }
        needsRestart = restart
    }

    package var isEmpty: Bool {
        routes.isEmpty && providers.isEmpty && apps.isEmpty && templates.isEmpty && apiKeys.isEmpty && !adminTokensChanged
            && otherSections.isEmpty && needsRestart.isEmpty
    }

    /// One line for the log and the admin answer: `routes: added eu; providers: changed twilio; api keys: rotated ci`.
    package var summary: String {
        guard !isEmpty else { return "no changes" }
        var parts: [String] = []
        for (section, names) in [("routes", routes), ("providers", providers), ("apps", apps), ("templates", templates)] where !names.isEmpty {
            parts.append("\(section): \(names.summary)")
        }
        if !apiKeys.isEmpty {
            var keys = apiKeys
            let rotated = keys.changed
            keys.changed = []
            let text = [keys.summary, rotated.isEmpty ? "" : "rotated \(rotated.joined(separator: ", "))"].filter { !$0.isEmpty }.joined(separator: "; ")
            parts.append("api keys: \(text)")
        }
        if adminTokensChanged { parts.append("admin tokens: changed") }
        if !otherSections.isEmpty { parts.append("changed \(otherSections.joined(separator: ", "))") }
        if !needsRestart.isEmpty { parts.append("needs restart: \(needsRestart.joined(separator: ", "))") }
        return parts.joined(separator: " | ")
    }
}
