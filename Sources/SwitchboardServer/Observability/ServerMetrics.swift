package import Prometheus

/// The daemon's metrics: one Prometheus registry, the swift-metrics factory that feeds it, and the
/// recorders the server's edges report to. `GET /metrics` reads the registry back.
///
/// Each app built gets its own (tests never share one); `switchboard serve` also bootstraps the
/// global `MetricsSystem` with the same factory, so metrics of libraries land on the same page.
package struct ServerMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    package let factory: PrometheusMetricsFactory
    let sends: SendMetrics
    let login: LoginMetrics
    let http: HTTPMetrics
    let receipts: ReceiptMetrics
    /// Give it to the store when opening it, to hear of its commits and of its database's outages.
    package let store: StoreMetrics
    package let webhooks: WebhookMetrics

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Sends wait for every attempt (deadlines are tens of seconds); one HTTP request or attempt rarely does.
        factory.durationHistogramBuckets[MetricName.sendDuration] =
            factory.defaultDurationHistogramBuckets + [.seconds(20), .seconds(30), .seconds(60)]
        // A commit's writes: one alone, up to the writer's largest batch.
        factory.valueHistogramBuckets[MetricName.storeBatchSize] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        self.factory = factory
        sends = SendMetrics(factory: factory)
        login = LoginMetrics(factory: factory)
        http = HTTPMetrics(factory: factory)
        receipts = ReceiptMetrics(factory: factory)
        store = StoreMetrics(factory: factory)
        webhooks = WebhookMetrics(factory: factory)
    }

    /// The whole page, in Prometheus' text format.
    package func scrape() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
