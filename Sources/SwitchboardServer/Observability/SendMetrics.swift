import CoreMetrics
import Metrics
import Prometheus
import SwitchboardCore

/// Sends, attempts, latencies and segments, taken from each send's saved record; OAuth2 token
/// requests, as the providers' token caches make them.
final class SendMetrics: SendObserver {
    struct SendLabels: Hashable, Sendable {
        var app: String
        var kind: MessageKind
        var country: String
        var route: String
        var provider: String
        var outcome: MessageStatus
    }

    struct KindOutcome: Hashable, Sendable {
        var kind: MessageKind
        var outcome: MessageStatus
    }

    struct AttemptLabels: Hashable, Sendable {
        var provider: String
        var outcome: AttemptOutcome
        /// Why a skipped attempt was skipped (`SkipReason.code`); empty for the others.
        var reason: String
    }

    struct ProviderCountry: Hashable, Sendable {
        var provider: String
        var country: String
    }

    private let sends: MetricCache<SendLabels, CoreMetrics.Counter>
    private let durations: MetricCache<KindOutcome, CoreMetrics.Timer>
    private let attempts: MetricCache<AttemptLabels, CoreMetrics.Counter>
    private let attemptDurations: MetricCache<String, CoreMetrics.Timer>
    private let segments: MetricCache<ProviderCountry, CoreMetrics.Counter>
    /// By provider and outcome: `ok` or a `TokenFailure` code.
    private let tokenRequests: MetricCache<[String], CoreMetrics.Counter>

    init(factory: PrometheusMetricsFactory) {
        sends = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.sends,
                dimensions: [
                    ("app", labels.app), ("kind", labels.kind.rawValue), ("country", labels.country), ("route", labels.route),
                    ("provider", labels.provider), ("outcome", labels.outcome.rawValue),
                ],
                factory: factory
            )
        }
        durations = MetricCache { labels in
            CoreMetrics.Timer(
                label: MetricName.sendDuration,
                dimensions: [("kind", labels.kind.rawValue), ("outcome", labels.outcome.rawValue)],
                factory: factory
            )
        }
        attempts = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.attempts,
                dimensions: [("provider", labels.provider), ("outcome", labels.outcome.rawValue), ("reason", labels.reason)],
                factory: factory
            )
        }
        attemptDurations = MetricCache { provider in
            CoreMetrics.Timer(label: MetricName.attemptDuration, dimensions: [("provider", provider)], factory: factory)
        }
        segments = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.segments,
                dimensions: [("provider", labels.provider), ("country", labels.country)],
                factory: factory
            )
        }
        tokenRequests = MetricCache { labels in
            CoreMetrics.Counter(label: MetricName.tokenRequests, dimensions: [("provider", labels[0]), ("outcome", labels[1])], factory: factory)
        }
    }

    func tokenRequested(provider: String, failure: String?) {
        tokenRequests[[provider, failure ?? "ok"]].increment()
    }

    func sendFinished(_ record: MessageRecord, elapsed: Duration) {
        let provider = record.provider ?? ""
        let send = SendLabels(
            app: record.app, kind: record.kind, country: record.country, route: record.route, provider: provider, outcome: record.status
        )
        sends[send].increment()
        durations[KindOutcome(kind: record.kind, outcome: record.status)].record(duration: elapsed)
        for attempt in record.attempts {
            let skipped = attempt.outcome == .skipped
            let reason = skipped ? attempt.providerCode ?? "" : ""
            attempts[AttemptLabels(provider: attempt.provider, outcome: attempt.outcome, reason: reason)].increment()
            if !skipped {
                attemptDurations[attempt.provider].recordMicroseconds(attempt.latencyMicroseconds)
            }
        }
        if record.status == .accepted {
            segments[ProviderCountry(provider: provider, country: record.country)].increment(by: record.segments)
        }
    }
}
