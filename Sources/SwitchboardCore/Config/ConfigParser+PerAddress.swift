extension ConfigParser {
    /// `apps.ID.otp.per_address: { max_sends_per_hour: 20, header: X-End-User-IP }`.
    static func readPerAddress(_ node: ConfigNode) -> PerAddressLimit?? {
        guard let fields = node.mapping(allowedKeys: ["max_sends_per_hour", "header"]) else { return nil }
        guard let limitNode = required(fields, "max_sends_per_hour", in: node), let limit = limitNode.integer(in: 1...1_000_000) else {
            return nil
        }
        var rule = PerAddressLimit(maxSendsPerHour: limit)
        if let headerNode = fields["header"] {
            guard let header = headerNode.nonEmptyString() else { return nil }
            let token = Set("!#$%&'*+-.^_`|~abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            guard header.value.allSatisfy(token.contains) else {
                headerNode.report("\(header.quoted) in \(headerNode.describedPath) is not an HTTP header name; write one such as X-End-User-IP")
                return nil
            }
            rule.header = header.value
        }
        return .some(rule)
    }
}
