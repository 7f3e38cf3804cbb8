import CoreMetrics
import HTTPTypes
import Metrics
import Prometheus

/// HTTP requests by route template, method and status, and their latency.
final class HTTPMetrics: Sendable {
    struct RequestLabels: Hashable, Sendable {
        var route: String
        var method: String
        var status: Int
    }

    struct RouteMethod: Hashable, Sendable {
        var route: String
        var method: String
    }

    /// What a request that matched no route is counted under: its path is the caller's free text.
    static let unmatchedRoute = "unmatched"

    private let requests: MetricCache<RequestLabels, CoreMetrics.Counter>
    private let durations: MetricCache<RouteMethod, CoreMetrics.Timer>

    init(factory: PrometheusMetricsFactory) {
        requests = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.httpRequests,
                dimensions: [("route", labels.route), ("method", labels.method), ("status", String(labels.status))],
                factory: factory
            )
        }
        durations = MetricCache { labels in
            CoreMetrics.Timer(label: MetricName.httpDuration, dimensions: [("route", labels.route), ("method", labels.method)], factory: factory)
        }
    }

    /// - Parameters:
    ///   - route: The matched route's template (`/v1/messages/{id}`); `nil`, or Hummingbird's
    ///     `NotFound`, when none matched.
    func record(route: String?, method: HTTPRequest.Method, status: HTTPResponse.Status, elapsed: Duration) {
        let route = route.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? Self.unmatchedRoute
        let method = Self.label(method)
        requests[RequestLabels(route: route, method: method, status: status.code)].increment()
        durations[RouteMethod(route: route, method: method)].record(duration: elapsed)
    }

    /// The standard methods by name; any other (a caller may invent one) as `other`.
    private static func label(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .delete, .patch, .options, .connect, .trace: method.rawValue
        default: "other"
        }
    }
}
