import CoreMetrics
import Prometheus

/// Receipts by provider instance and what became of them: `moved` (the message's status changed),
/// `unchanged` (recorded: late, repeated or a status that moves nothing), `unknown_message` (no
/// message has that id, yet), `refused` (not authenticated) and `malformed`.
final class ReceiptMetrics: Sendable {
    enum Result: String, Sendable {
        case moved
        case unchanged
        case unknownMessage = "unknown_message"
        case refused
        case malformed
    }

    struct Labels: Hashable, Sendable {
        var provider: String
        var result: Result
    }

    private let receipts: MetricCache<Labels, CoreMetrics.Counter>

    init(factory: PrometheusMetricsFactory) {
        receipts = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.receipts, dimensions: [("provider", labels.provider), ("result", labels.result.rawValue)], factory: factory
            )
        }
    }

    /// `provider` is a configured instance's name: calls for other names are never counted.
    func received(provider: String, result: Result) {
        receipts[Labels(provider: provider, result: result)].increment()
    }
}
