import CoreMetrics
import Prometheus
import SwitchboardCore
import SwitchboardOTP
import Synchronization

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
    private let slowedCountries: MetricCache<AppCountry, CoreMetrics.Meter>
    private let slowedPrefixes: MetricCache<String, CoreMetrics.Meter>
    /// The countries each app's gauge last showed slowed, to set back to 0 when they recover.
    private let shownSlowed = Mutex<[String: Set<String>]>([:])

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
        slowedCountries = MetricCache { labels in
            CoreMetrics.Meter(label: MetricName.otpSlowedCountries, dimensions: [("app", labels.app), ("country", labels.country)], factory: factory)
        }
        slowedPrefixes = MetricCache { app in
            CoreMetrics.Meter(label: MetricName.otpSlowedPrefixes, dimensions: [("app", app)], factory: factory)
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

    func conversionSlowdowns(_ slowed: [ConversionScope], app: String) {
        var countries: Set<String> = []
        var prefixes = 0
        for scope in slowed {
            switch scope {
            case .country(let code): countries.insert(code)
            case .prefix: prefixes += 1
            }
        }
        let ended = shownSlowed.withLock { shown in
            defer { shown[app] = countries }
            return (shown[app] ?? []).subtracting(countries)
        }
        for country in ended { slowedCountries[AppCountry(app: app, country: country)].set(0) }
        for country in countries { slowedCountries[AppCountry(app: app, country: country)].set(1) }
        slowedPrefixes[app].set(prefixes)
    }
}
