import CoreMetrics
import Foundation
package import Hummingbird
import NIOCore
import Prometheus
package import SwitchboardCore

/// `GET /metrics`: the daemon's metrics in Prometheus' text format. An admin route (the admin
/// listener, the admin token): the page tells traffic by app, country and provider.
///
/// Provider health is read off the breakers when scraped rather than recorded as it changes: the
/// breakers stay free of metrics, and the page is exact at the moment it is read.
package struct MetricsController<Context: RequestContext>: Sendable {
    let metrics: ServerMetrics
    let breakers: CircuitBreakerRegistry?
    /// The breakers' clock: a Retry-After's time left is read on it.
    let clock: any SwitchboardClock
    private let providers: [String]
    private let breakerStates: [String: CoreMetrics.Meter]
    private let retryAfters: [String: CoreMetrics.Meter]

    /// - Parameters:
    ///   - providers: Every configured provider's name: each has a breaker gauge from the start.
    package init(metrics: ServerMetrics, breakers: CircuitBreakerRegistry?, clock: any SwitchboardClock, providers: [String]) {
        self.metrics = metrics
        self.breakers = breakers
        self.clock = clock
        self.providers = providers
        let factory = metrics.factory
        breakerStates = Dictionary(
            providers.map { ($0, CoreMetrics.Meter(label: MetricName.breakerState, dimensions: [("provider", $0)], factory: factory)) },
            uniquingKeysWith: { first, _ in first }
        )
        retryAfters = Dictionary(
            providers.map { ($0, CoreMetrics.Meter(label: MetricName.retryAfter, dimensions: [("provider", $0)], factory: factory)) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    func scrape(_ request: Request, context: Context) async throws -> Response {
        readProviderHealth()
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.scrape()))
        )
    }

    private func readProviderHealth() {
        let states = breakers?.states() ?? [:]
        let now = clock.date
        for provider in providers {
            let health = states[provider]
            breakerStates[provider]?.set(Self.gaugeValue(health?.state ?? .closed))
            let retryAfter = health?.retryAfterUntil.map { max(0, $0.timeIntervalSince(now)) } ?? 0
            retryAfters[provider]?.set(retryAfter)
        }
    }

    /// 0 closed, 1 half-open, 2 open: the larger, the less the provider is sent to.
    static func gaugeValue(_ state: CircuitBreaker.State) -> Int {
        switch state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}
