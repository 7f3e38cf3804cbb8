/// `apps.ID.webhook:` — where Switchboard POSTs an app's events, signed with its secret.
package struct WebhookSettings: Sendable, Equatable {
    /// `https://…`, or `http://` to a loopback host (a sidecar on the same machine, tests).
    package var url: String
    /// The HMAC-SHA256 key of `Switchboard-Signature`, normally `${ENV}`. Never logged.
    package var secret: String
    /// The event types sent; others are not stored at all.
    package var events: Set<WebhookEventType>
    /// `max_age:` — how long an event is retried before it is marked dead.
    package var maxAge: Duration
    /// `queue:` — the most events of this app waiting for delivery; a new event past it is dropped.
    package var queue: Int

    package static let defaultMaxAge: Duration = .seconds(24 * 3600)
    package static let maxAgeBounds: ClosedRange<Duration> = .seconds(60)...Duration.seconds(7 * 24 * 3600)
    package static let defaultQueue = 10_000
    package static let queueBounds = 1...1_000_000
    /// A shorter secret could be guessed from signatures offline.
    package static let minimumSecretLength = 24

    package init(url: String, secret: String, events: Set<WebhookEventType>, maxAge: Duration = defaultMaxAge, queue: Int = defaultQueue) {
        self.url = url
        self.secret = secret
        self.events = events
        self.maxAge = maxAge
        self.queue = queue
    }
}
