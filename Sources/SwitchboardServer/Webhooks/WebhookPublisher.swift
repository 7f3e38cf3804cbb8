import Foundation
package import Logging
package import SwitchboardCore
import SwitchboardOTP

/// What every configuration's webhook events share: the outbox, the background work that stores
/// the events of sends, the metrics and the doorbell of the delivery service. The events
/// themselves are made by ``WebhookEvents``, one per configuration.
package final class WebhookPublisher: Sendable {
    let store: any WebhookStore
    private let background: BackgroundWork?
    let clock: any SwitchboardClock
    let metrics: WebhookMetrics
    /// Rung when an event is stored, so the delivery service tries it at once.
    let doorbell = Doorbell()
    let logger: Logger

    /// - Parameters:
    ///   - store: The outbox.
    ///   - background: Where the events of sends and code checks are stored from; without it
    ///     (commands that run no services) they are dropped, with an error in the log.
    ///   - clock: Stamps events.
    package init(store: any WebhookStore, background: BackgroundWork?, clock: any SwitchboardClock, metrics: WebhookMetrics, logger: Logger) {
        self.store = store
        self.background = background
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// The events of one configuration.
    package func events(for config: SwitchboardConfig) -> WebhookEvents {
        WebhookEvents(config: config, publisher: self)
    }

    /// `other`, and this configuration's events when an app has a webhook: sends of a
    /// configuration without webhooks pay nothing for them.
    func sendObserver(for config: SwitchboardConfig, beside other: any SendObserver) -> any SendObserver {
        config.apps.contains { $0.webhook != nil } ? SendObservers(observers: [other, events(for: config)]) : other
    }

    /// `other`, and this configuration's events when an app has a webhook.
    func loginObserver(for config: SwitchboardConfig, beside other: any LoginObserver) -> any LoginObserver {
        config.apps.contains { $0.webhook != nil } ? LoginObservers(observers: [other, events(for: config)]) : other
    }

    /// Stores `event` unless the app's queue is full: then it is dropped, with an error and a metric.
    func insert(_ event: WebhookEvent, app: AppSettings, logger: Logger) async {
        let limit = app.webhook?.queue ?? WebhookSettings.defaultQueue
        let metadata: Logger.Metadata = ["sb.app": "\(app.id)", "sb.webhook.event": "\(event.id)", "sb.webhook.type": "\(event.type)"]
        do {
            if try await store.insertWebhookEvent(event, maxPending: limit) {
                doorbell.ring()
                return
            }
            logger.error("webhook queue full; the event is dropped", metadata: metadata.merging(["sb.webhook.queue": "\(limit)"]) { $1 })
        } catch {
            logger.error("could not store a webhook event; it is dropped", metadata: metadata.merging(["sb.error": "\(logDescription(of: error))"]) { $1 })
        }
        metrics.droppedEvent(app: app.id)
    }

    /// Stores `event` in the background: the caller does not wait. When the background work has
    /// stopped (shutting down), the event is lost, said in the log.
    func insertLater(_ event: WebhookEvent, app: AppSettings) {
        guard let background, background.submit({ await self.insert(event, app: app, logger: self.logger) }) else {
            logger.error("webhook event not stored: the daemon is shutting down", metadata: ["sb.app": "\(app.id)", "sb.webhook.type": "\(event.type)"])
            metrics.droppedEvent(app: app.id)
            return
        }
    }
}

/// The service group logs each service's description; keep it short.
extension WebhookPublisher: CustomStringConvertible {
    package var description: String { "WebhookPublisher" }
}
