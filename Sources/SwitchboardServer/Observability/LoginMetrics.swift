import CoreMetrics
import Prometheus
import SwitchboardOTP

/// OTP sends, refusals, verifications and lockouts by app and country: sent over verified per
/// country is the conversion rate that shows SMS pumping.
final class LoginMetrics: LoginObserver {
    struct AppCountry: Hashable, Sendable {
        var app: String
        var country: String
    }

    struct VerificationLabels: Hashable, Sendable {
        var app: String
        var country: String
        var result: OTPVerificationResult
    }

    private let sends: MetricCache<AppCountry, CoreMetrics.Counter>
    private let refusals: MetricCache<AppCountry, CoreMetrics.Counter>
    private let lockouts: MetricCache<AppCountry, CoreMetrics.Counter>
    private let verifications: MetricCache<VerificationLabels, CoreMetrics.Counter>
    private let abuseRefusals: MetricCache<AbuseLabels, CoreMetrics.Counter>

    struct AbuseLabels: Hashable, Sendable {
        var app: String
        var country: String
        var rule: AbuseRule
    }

    init(factory: PrometheusMetricsFactory) {
        func counter(_ name: String) -> MetricCache<AppCountry, CoreMetrics.Counter> {
            MetricCache { labels in
                CoreMetrics.Counter(label: name, dimensions: [("app", labels.app), ("country", labels.country)], factory: factory)
            }
        }
        sends = counter(MetricName.otpSends)
        refusals = counter(MetricName.otpSendRefusals)
        lockouts = counter(MetricName.otpLockouts)
        abuseRefusals = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.otpAbuseRefusals,
                dimensions: [("app", labels.app), ("country", labels.country), ("rule", labels.rule.rawValue)],
                factory: factory
            )
        }
        verifications = MetricCache { labels in
            CoreMetrics.Counter(
                label: MetricName.otpVerifications,
                dimensions: [("app", labels.app), ("country", labels.country), ("result", labels.result.rawValue)],
                factory: factory
            )
        }
    }

    func loginEvent(_ event: LoginEvent, app: String, country: String) {
        let key = AppCountry(app: app, country: country)
        switch event {
        case .sent: sends[key].increment()
        case .sendRefused: refusals[key].increment()
        case .lockedOut: lockouts[key].increment()
        case .abuseRefused(let rule): abuseRefusals[AbuseLabels(app: app, country: country, rule: rule)].increment()
        case .verified(let result): verifications[VerificationLabels(app: app, country: country, result: result)].increment()
        }
    }
}
