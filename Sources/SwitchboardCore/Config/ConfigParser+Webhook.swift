extension ConfigParser {
    static let webhookKeys = ["url", "secret", "events", "max_age", "queue"]

    /// `webhook: { url, secret: ${ENV}, events: [...], max_age: 24h, queue: 10000 }` of one app;
    /// `nil` inside the result when the app has none.
    static func readWebhook(_ node: ConfigNode?) -> WebhookSettings?? {
        guard let node else { return .some(nil) }
        guard let fields = node.mapping(allowedKeys: webhookKeys) else { return nil }
        var valid = true
        let url = required(fields, "url", in: node)?.nonEmptyString()
        if let url, let problem = CallbackURL.check(url.value, httpsUnlessLoopback: true, allowPrivate: true) {
            url.node.report("\(url.node.describedPath) \(problem); give the https URL of the app's receiver (http only to a loopback host)")
            valid = false
        }
        let secret = required(fields, "secret", in: node)?.nonEmptyString()
        if let secret, secret.value.utf8.count < WebhookSettings.minimumSecretLength {
            secret.node.report(
                "\(secret.node.describedPath) is shorter than \(WebhookSettings.minimumSecretLength) characters; use a long random value, such as the output of `openssl rand -hex 32`"
            )
            valid = false
        }
        var events: Set<WebhookEventType> = []
        if let list = required(fields, "events", in: node), let items = list.sequence() {
            if items.isEmpty {
                list.report("\(list.describedPath) is empty; name the events to send: \(WebhookEventType.names.joined(separator: ", "))")
                valid = false
            }
            for item in items {
                guard let name = item.nonEmptyString() else {
                    valid = false
                    continue
                }
                guard let type = WebhookEventType(rawValue: name.value) else {
                    let hint = Suggestion.closest(to: name.value, among: WebhookEventType.names).map { " (did you mean \($0)?)" } ?? ""
                    item.report("\(item.describedPath) is \(name.quoted), not an event\(hint); the events are \(WebhookEventType.names.joined(separator: ", "))")
                    valid = false
                    continue
                }
                guard events.insert(type).inserted else {
                    item.report("\(item.describedPath) names \(name.value) a second time; name each event once")
                    valid = false
                    continue
                }
            }
        } else {
            valid = false
        }
        var maxAge = WebhookSettings.defaultMaxAge
        if let field = fields["max_age"] {
            if let value = field.duration(in: WebhookSettings.maxAgeBounds) { maxAge = value } else { valid = false }
        }
        var queue = WebhookSettings.defaultQueue
        if let field = fields["queue"] {
            if let value = field.integer(in: WebhookSettings.queueBounds) { queue = value } else { valid = false }
        }
        guard valid, let url, let secret else { return nil }
        return .some(WebhookSettings(url: url.value, secret: secret.value, events: events, maxAge: maxAge, queue: queue))
    }
}
