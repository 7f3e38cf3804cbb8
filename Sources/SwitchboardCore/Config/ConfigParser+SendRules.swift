extension ConfigParser {
    /// `apps.ID.senders`, `apps.ID.link_domains` and `apps.ID.custom_phone_number`: what a send's
    /// `custom_sms_input` and `custom_phone_number` may ask for.
    /// - Returns: `nil` after reporting what is wrong.
    static func readSendRules(_ fields: OrderedEntries) -> AppSettings.SendRules? {
        var defaults = AppSettings.SendRules()
        var valid = true
        if let node = fields["senders"] {
            if let senders = readSenders(node) { defaults.senders = senders } else { valid = false }
        }
        if let node = fields["link_domains"] {
            if let domains = readLinkDomains(node) { defaults.linkDomains = domains } else { valid = false }
        }
        if let node = fields["custom_phone_number"] {
            if let policy = readCustomPhoneNumber(node) { defaults.customPhoneNumber = policy } else { valid = false }
        }
        return valid ? defaults : nil
    }

    private static func readSenders(_ node: ConfigNode) -> [SenderID]? {
        guard let items = node.stringList() else { return nil }
        var senders: [SenderID] = []
        var valid = true
        for item in items {
            do {
                let sender = try SenderID(parsing: item.value)
                guard sender.isAlphanumeric, item.value.count <= 11 else {
                    item.node.report("\(item.quoted) in \(node.describedPath) is not an alphanumeric sender of at most 11 characters, such as ACME; a custom_sms_input.sender_id can only be one")
                    valid = false
                    continue
                }
                if senders.contains(sender) {
                    item.node.report("sender \(item.value) is listed twice in \(node.describedPath)")
                    valid = false
                }
                senders.append(sender)
            } catch {
                item.node.report("\(item.quoted) in \(node.describedPath): \(error)")
                valid = false
            }
        }
        return valid ? senders : nil
    }

    private static func readLinkDomains(_ node: ConfigNode) -> [String]? {
        guard let items = node.stringList() else { return nil }
        var domains: [String] = []
        var valid = true
        for item in items {
            let domain = item.value.lowercased()
            guard MessageLinks.hosts(in: domain) == [domain], !domain.contains("/") else {
                item.node.report("\(item.quoted) in \(node.describedPath) is not a domain name; write one such as acme.example (its subdomains are allowed too)")
                valid = false
                continue
            }
            domains.append(domain)
        }
        return valid ? domains : nil
    }

    private static func readCustomPhoneNumber(_ node: ConfigNode) -> CustomPhoneNumberPolicy? {
        guard let fields = node.mapping(allowedKeys: ["allow", "max_sends_per_hour"]) else { return nil }
        var policy = CustomPhoneNumberPolicy()
        if let allow = fields["allow"] {
            guard let flag = allow.boolean() else { return nil }
            policy.allow = flag
        }
        if let limit = fields["max_sends_per_hour"] {
            guard let value = limit.integer(in: 1...1000) else { return nil }
            policy.maxSendsPerHour = value
        }
        return policy
    }
}
