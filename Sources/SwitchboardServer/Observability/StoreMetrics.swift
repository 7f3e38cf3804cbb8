import CoreMetrics
import Metrics
import Prometheus
import SwitchboardCore

/// The store's commits: how long each write transaction took and how many writes it carried;
/// whether its database can be reached, with how many times it could not; how many of its
/// connections led nowhere; and how far its server's clock is from this daemon's.
package final class StoreMetrics: StoreCommitObserver, StoreReachabilityObserver {
    private let duration: CoreMetrics.Timer
    private let batchSize: CoreMetrics.Recorder
    private let reachable: CoreMetrics.Gauge
    private let outages: CoreMetrics.Counter
    private let strandedConnections: CoreMetrics.Counter
    private let clockOffset: CoreMetrics.Gauge

    init(factory: PrometheusMetricsFactory) {
        duration = CoreMetrics.Timer(label: MetricName.storeCommitDuration, factory: factory)
        batchSize = CoreMetrics.Recorder(label: MetricName.storeBatchSize, aggregate: true, factory: factory)
        reachable = CoreMetrics.Gauge(label: MetricName.storeReachable, factory: factory)
        outages = CoreMetrics.Counter(label: MetricName.storeOutages, factory: factory)
        strandedConnections = CoreMetrics.Counter(label: MetricName.storeStrandedConnections, factory: factory)
        clockOffset = CoreMetrics.Gauge(label: MetricName.storeClockOffset, factory: factory)
        reachable.record(1)
    }

    package func reachabilityChanged(reachable: Bool) {
        self.reachable.record(reachable ? 1 : 0)
        if !reachable { outages.increment() }
    }

    package func connectionStranded() {
        strandedConnections.increment()
    }

    package func clockOffsetMeasured(_ offset: Duration) {
        clockOffset.record(offset.timeInterval)
    }

    package func committed(writes: Int, duration: Duration) {
        self.duration.record(duration: duration)
        batchSize.record(writes)
    }
}
