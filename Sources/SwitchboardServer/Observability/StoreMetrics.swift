import CoreMetrics
import Metrics
import Prometheus
import SwitchboardCore

/// The store's commits: how long each write transaction took and how many writes it carried.
package final class StoreMetrics: StoreCommitObserver {
    private let duration: CoreMetrics.Timer
    private let batchSize: CoreMetrics.Recorder

    init(factory: PrometheusMetricsFactory) {
        duration = CoreMetrics.Timer(label: MetricName.storeCommitDuration, factory: factory)
        batchSize = CoreMetrics.Recorder(label: MetricName.storeBatchSize, aggregate: true, factory: factory)
    }

    package func committed(writes: Int, duration: Duration) {
        self.duration.record(duration: duration)
        batchSize.record(writes)
    }
}
