import CoreMetrics
import Metrics
import Prometheus

/// The webhook outbox: tries and how they ended, events dropped at a full queue, and how many
/// wait per app. Dimensions are the app (bounded by the configuration) and a fixed result word.
package final class WebhookMetrics: Sendable {
    /// `delivered` (2xx), `failed` (will be tried again), `dead` (given up).
    private let attempts: MetricCache<String, CoreMetrics.Counter>
    private let dropped: MetricCache<String, CoreMetrics.Counter>
    private let depth: MetricCache<String, CoreMetrics.Meter>

    static let attemptsName = "switchboard_webhook_attempts_total"
    static let droppedName = "switchboard_webhook_events_dropped_total"
    static let depthName = "switchboard_webhook_queue_depth"

    init(factory: PrometheusMetricsFactory) {
        attempts = MetricCache { result in CoreMetrics.Counter(label: Self.attemptsName, dimensions: [("result", result)], factory: factory) }
        dropped = MetricCache { app in CoreMetrics.Counter(label: Self.droppedName, dimensions: [("app", app)], factory: factory) }
        depth = MetricCache { app in CoreMetrics.Meter(label: Self.depthName, dimensions: [("app", app)], factory: factory) }
    }

    func attempted(_ result: String) { attempts[result].increment() }

    func droppedEvent(app: String) { dropped[app].increment() }

    func queueDepth(app: String, pending: Int) { depth[app].set(pending) }
}
