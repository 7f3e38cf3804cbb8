import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardOTP

/// `GET /admin/slowdowns` and `DELETE /admin/slowdowns/{scope}`: the countries and number prefixes
/// the conversion rule (`otp.conversion`) slows, read from the counts every daemon shares, and
/// clearing one.
struct AdminSlowdownsController<Context: RequestContext> {
    let configuration: ConfigurationReloader
    let store: any ConversionStore
    /// The clock of the OTP flow, which stamps the counts.
    let clock: any SwitchboardClock

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("slowdowns", use: list)
        group.delete("slowdowns/{scope}", use: clear)
    }

    struct Slowdown: Encodable {
        var app: String
        /// `GB`, or `+4477009` for a prefix.
        var scope: String
        /// `country` or `prefix`.
        var kind: String
        var sent: Int
        var verified: Int
        var verified_share: Double
        var min_verified_share: Double
        var window: String
        /// Sends per minute the scope is held to, such as `5/m`.
        var slow_to: String
    }

    struct Slowdowns: ResponseEncodable {
        var slowdowns: [Slowdown]
    }

    struct Cleared: ResponseEncodable {
        var scope: String
        /// The apps that slowed the scope until now.
        var cleared_apps: [String]
    }

    func list(_ request: Request, context: Context) async throws -> Slowdowns {
        Slowdowns(slowdowns: try await slowdowns(at: clock.date))
    }

    func clear(_ request: Request, context: Context) async throws -> Cleared {
        let written = try context.parameters.require("scope")
        let text = written.removingPercentEncoding ?? written
        guard let scope = Self.scope(text) else {
            throw APIError.badRequest(
                "invalid_scope", "'\(text)' is neither a country code (such as NG) nor a number prefix (such as +2347010)"
            )
        }
        let apps = try await slowdowns(at: clock.date).filter { $0.scope == scope.key }.map(\.app)
        try await store.forgetConversion(scope)
        // This daemon reads the counts again at its next send; the others within their refresh.
        configuration.current.login.conversion.invalidate()
        context.logger.notice(
            "conversion slowdown cleared by an operator; its counts start afresh", metadata: ["sb.conversion.scope": "\(scope.key)", "sb.apps": "\(apps.joined(separator: ","))"]
        )
        return Cleared(scope: scope.key, cleared_apps: apps)
    }

    /// Every app's slowed scopes at `now`, by app then scope.
    private func slowdowns(at now: Date) async throws -> [Slowdown] {
        var found: [Slowdown] = []
        for app in configuration.current.config.apps.sorted(by: { $0.id < $1.id }) {
            guard let rule = app.otp.conversion else { continue }
            for tally in try await store.conversionTallies(app: app.id, since: rule.windowStart(now: now), minSends: rule.minSends) where rule.isSlowed(tally) {
                found.append(
                    Slowdown(
                        app: app.id, scope: tally.scope.key, kind: tally.scope.kind, sent: tally.sent, verified: tally.verified,
                        verified_share: tally.verifiedShare, min_verified_share: rule.minVerifiedShare, window: rule.window.configText,
                        slow_to: "\(rule.slowTo)/m"
                    )
                )
            }
        }
        return found
    }

    /// A country code (`NG`, `001`) or `+` and 1 to 15 digits.
    private static func scope(_ text: String) -> ConversionScope? {
        if text.hasPrefix("+") {
            let digits = text.dropFirst()
            guard (1...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else { return nil }
            return .prefix(String(digits))
        }
        guard CountryCodes.iso3166Alpha2.contains(text) || text == "001" else { return nil }
        return .country(text)
    }
}
