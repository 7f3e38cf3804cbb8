import Foundation
package import Logging
import ServiceLifecycle
package import SwitchboardCore
package import SwitchboardProviders
import Synchronization

/// Delivers the webhook outbox: claims due events, POSTs each (signed), and records how the try
/// ended: 2xx is done; anything else is tried again after a backoff with jitter, until the event
/// is older than its app's `max_age`, when it is marked dead (listed by `GET /admin/webhook-events`).
///
/// At most `concurrency` tries are in flight, each bounded by `timeout`, so a receiver that
/// hangs holds one slot for one timeout and never a send. A claim leases its events past that
/// timeout: a daemon that dies mid-try leaves them to be tried again, by it or another daemon.
///
/// On graceful shutdown it stops claiming and waits for the tries in flight. Added before the
/// HTTP client and the store, so it stops first.
package struct WebhookDeliveryService: Service {
    package struct Settings: Sendable {
        /// Tries in flight at once.
        package var concurrency = 8
        /// One try, answer included.
        package var timeout: Duration = .seconds(10)
        /// How often the outbox is looked at when nothing rang (retries coming due, other daemons' events).
        package var poll: Duration = .seconds(1)
        package var backoff = WebhookBackoff.standard
        /// The longest answer read; the rest is not needed to tell 2xx.
        package var maxResponseBytes = 4096
        /// How long delivered and dead events are kept after their last try (dead ones for an operator to redeliver).
        package var keepEnded: Duration = .seconds(7 * 24 * 3600)
        /// How often ended events past `keepEnded` are deleted, a bounded batch at a time.
        package var purgeEvery: Duration = .seconds(3600)

        package init() {}
    }

    private let publisher: WebhookPublisher
    private let configuration: @Sendable () -> SwitchboardConfig
    private let transport: HTTPTransport
    private let settings: Settings
    private let clock: any SwitchboardClock
    /// A fraction in `0..<1` for the jitter; tests fix it.
    private let random: @Sendable () -> Double
    private let logger: Logger

    package init(
        publisher: WebhookPublisher, configuration: @escaping @Sendable () -> SwitchboardConfig, transport: HTTPTransport,
        settings: Settings = Settings(), clock: any SwitchboardClock = SystemClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger
    ) {
        self.publisher = publisher
        self.configuration = configuration
        self.transport = transport
        self.settings = settings
        self.clock = clock
        self.random = random
        self.logger = logger
    }

    private var store: any WebhookStore { publisher.store }

    package func run() async throws {
        let inFlight = TriesInFlight()
        await withDiscardingTaskGroup { group in
            var idle = false
            var lastDepth = ContinuousClock.Instant.now - .seconds(3600)
            var lastPurge = clock.now
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if clock.now - lastDepth >= settings.poll {
                    lastDepth = clock.now
                    await reportDepth()
                }
                if clock.now - lastPurge >= settings.purgeEvery {
                    lastPurge = clock.now
                    await purgeEnded()
                }
                let free = settings.concurrency - inFlight.count
                if free <= 0 || idle {
                    await waitForWork()
                    idle = false
                    continue
                }
                let claimed = await claim(limit: free)
                guard !claimed.isEmpty else {
                    idle = true
                    continue
                }
                inFlight.add(claimed.count)
                for event in claimed {
                    group.addTask {
                        await attempt(event)
                        inFlight.add(-1)
                        publisher.doorbell.ring()
                    }
                }
            }
        }
    }

    /// One pass, for tests and commands: claims what is due (up to `concurrency`), tries it, and
    /// returns once every try has been recorded.
    /// - Returns: How many events were tried.
    @discardableResult
    package func deliverDue() async -> Int {
        let claimed = await claim(limit: settings.concurrency)
        await withDiscardingTaskGroup { group in
            for event in claimed { group.addTask { await attempt(event) } }
        }
        return claimed.count
    }

    private func claim(limit: Int) async -> [WebhookEvent] {
        let now = clock.date
        do {
            // Past one try's timeout, with room for recording it.
            return try await store.claimDueWebhookEvents(limit: limit, now: now, leaseUntil: now.adding(settings.timeout * 2 + .seconds(5)))
        } catch {
            logger.storeFailure("could not claim webhook events", error: error)
            return []
        }
    }

    /// Tries `event` once and records the result.
    func attempt(_ event: WebhookEvent) async {
        let result = await tryOnce(event)
        let metadata: Logger.Metadata = [
            "sb.app": "\(event.app)", "sb.webhook.event": "\(event.id)", "sb.webhook.type": "\(event.type)", "sb.webhook.attempt": "\(event.attempts + 1)",
        ]
        switch result {
        case .delivered:
            publisher.metrics.attempted("delivered")
            logger.info("webhook event delivered", metadata: metadata)
        case .retry(let next, let error):
            publisher.metrics.attempted("failed")
            logger.warning("webhook try failed; it will be tried again", metadata: metadata.merging(["sb.error": "\(error)", "sb.webhook.next": "\(next)"]) { $1 })
        case .dead(_, let error):
            publisher.metrics.attempted("dead")
            logger.error("webhook event dead: no further tries", metadata: metadata.merging(["sb.error": "\(error)"]) { $1 })
        }
        do {
            try await store.recordWebhookAttempt(id: event.id, result: result)
        } catch {
            // The lease runs out and the event is tried again: at least once, never lost.
            logger.error("could not record a webhook try", metadata: metadata.merging(["sb.error": "\(logDescription(of: error))"]) { $1 })
        }
    }

    /// Sends `event` once, signed as its format is, to where the configuration in force says.
    func tryOnce(_ event: WebhookEvent) async -> WebhookAttemptResult {
        let now = clock.date
        let request: TransportRequest
        switch WebhookRequest.make(for: event, config: configuration(), timestamp: Int64(now.timeIntervalSince1970.rounded(.down))) {
        case .success(let made): request = made
        case .failure(let refusal): return .dead(at: now, error: refusal.description)
        }
        let failure: String
        switch await transport.execute(request, deadline: clock.now + settings.timeout, maxResponseBytes: settings.maxResponseBytes, logger: logger) {
        case .response(let response) where (200..<300).contains(response.status):
            return .delivered(at: clock.date)
        case .failure(.tooLarge(let status, _)) where (200..<300).contains(status):
            return .delivered(at: clock.date)
        case .response(let response):
            let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
            failure = "HTTP \(response.status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .failure(.tooLarge(let status, _)):
            failure = "HTTP \(status)"
        case .failure(.notSent(let reason)), .failure(.maybeSent(let reason)):
            failure = reason
        }
        let ended = clock.date
        let next = ended.adding(settings.backoff.delay(afterAttempt: event.attempts + 1, random: random()))
        if next > event.expiresAt {
            return .dead(at: ended, error: failure + "; no try left before max_age")
        }
        return .retry(next: next, error: failure)
    }

    /// Deletes delivered and dead events whose last try ended `keepEnded` ago, in batches until none is left.
    package func purgeEnded() async {
        let cutoff = clock.date.adding(.zero - settings.keepEnded)
        do {
            while try await store.purgeWebhookEvents(endedBefore: cutoff, limit: 1000) == 1000, !Task.isShuttingDownGracefully {}
        } catch {
            logger.storeFailure("could not delete ended webhook events", error: error)
        }
    }

    private func reportDepth() async {
        do {
            let counts = try await store.pendingWebhookEventCounts()
            for app in configuration().apps { publisher.metrics.queueDepth(app: app.id, pending: counts[app.id] ?? 0) }
        } catch {
            logger.storeFailure("could not count pending webhook events", error: error)
        }
    }

    /// Until an event is stored or a try ends, a `poll` passes, or a graceful shutdown starts.
    private func waitForWork() async {
        await publisher.doorbell.wait(atMost: settings.poll, clock: clock)
    }
}

/// How many tries the service has in flight, shared with the tasks that make them.
private final class TriesInFlight: Sendable {
    private let tries = Mutex(0)

    var count: Int { tries.withLock { $0 } }

    func add(_ change: Int) { tries.withLock { $0 += change } }
}

extension WebhookDeliveryService: CustomStringConvertible {
    package var description: String { "WebhookDeliveryService(concurrency: \(settings.concurrency))" }
}
