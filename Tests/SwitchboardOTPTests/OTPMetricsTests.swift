import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Testing

/// OTP sends, refusals, verifications and lockouts on `/metrics`, by app and country, and the
/// Grafana dashboard's agreement with the page.
@Suite("OTP metrics", .timeLimit(.minutes(3)))
struct OTPMetricsTests {
    static let british = OTPTest.phone
    static let american = "+14155550123"
    static let otherBritish = "+447700900456"

    /// A code for `phone` that is not the one it was sent.
    static func wrong(_ code: String) -> String {
        String(code.dropLast()) + (code.last == "0" ? "1" : "0")
    }

    /// Logs in once (GB), is refused a resend (GB), locks a second GB user out with wrong codes and
    /// then tries once more (locked), lets a US code expire; then scrapes.
    static func withTraffic(_ body: @Sendable (PrometheusPage) async throws -> Void) async throws {
        let clock = ManualClock()
        // `/metrics` is an admin route.
        let config = try OTPTest.config(OTPTest.yaml() + "\nadmin:\n  tokens: [admin-token-0123456789]\n")
        try await OTPTest.withApp(config: config, clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            #expect(try await client.authenticate(token, code: try await client.latestCode()).status == .ok)
            #expect(try await client.send(token).status == .tooManyRequests)

            _ = try await client.createUser(token, phone: otherBritish)
            #expect(try await client.send(token, phone: otherBritish).status == .ok)
            let code = try await client.latestCode(to: otherBritish)
            for _ in 0..<3 {
                #expect(try await client.authenticate(token, code: wrong(code), phone: otherBritish).status == .badRequest)
            }
            #expect(try await client.authenticate(token, code: code, phone: otherBritish).status == .forbidden)

            _ = try await client.createUser(token, phone: american)
            #expect(try await client.send(token, phone: american).status == .ok)
            let late = try await client.latestCode(to: american)
            clock.advance(by: .seconds(6 * 60))
            #expect(try await client.authenticate(token, code: late, phone: american).status == .badRequest)

            let scraped = try await client.get("/metrics", headers: [.authorization: "Bearer admin-token-0123456789"])
            #expect(scraped.status == .ok)
            try await body(PrometheusPage(scraped.text))
        }
    }

    @Test("sent, refused, approved, wrong, locked out and expired are each counted by app and country")
    func loginEvents() async throws {
        try await Self.withTraffic { page in
            #expect(page.value("switchboard_otp_sends_total", ["app": "demo", "country": "GB"]) == 2)
            #expect(page.value("switchboard_otp_sends_total", ["app": "demo", "country": "US"]) == 1)
            #expect(page.value("switchboard_otp_send_refusals_total", ["app": "demo", "country": "GB"]) == 1)
            #expect(page.value("switchboard_otp_verifications_total", ["app": "demo", "country": "GB", "result": "approved"]) == 1)
            #expect(page.value("switchboard_otp_verifications_total", ["app": "demo", "country": "GB", "result": "wrong"]) == 3)
            #expect(page.value("switchboard_otp_verifications_total", ["app": "demo", "country": "GB", "result": "locked"]) == 1)
            #expect(page.value("switchboard_otp_verifications_total", ["app": "demo", "country": "US", "result": "expired"]) == 1)
            #expect(page.value("switchboard_otp_lockouts_total", ["app": "demo", "country": "GB"]) == 1)
            #expect(
                page.value("switchboard_sends_total", ["app": "demo", "kind": "otp", "country": "US", "provider": "default", "outcome": "accepted"])
                    == 1
            )
            #expect(!page.text.contains("7700900"))
            #expect(!page.text.contains("4155550123"))
        }
    }

    @Test("every metric the Grafana dashboard queries is on the page after some traffic")
    func dashboardNamesExist() async throws {
        let dashboard = try String(contentsOfFile: repositoryPath("Observability/grafana-dashboard.json"), encoding: .utf8)
        let names = Set(dashboard.matches(of: /switchboard_[a-z_]+/).map { String($0.output) })
        #expect(names.count >= 12)
        // Token requests appear once a provider with OAuth2 asks for a token, which this traffic's
        // default provider never does (TokenMetricsTests finds it on the page after one).
        let needsOAuth2: Set = ["switchboard_provider_token_refreshes_total"]
        #expect(needsOAuth2.isSubset(of: names))
        try await Self.withTraffic { page in
            let families = page.families
            for name in names.subtracting(needsOAuth2).sorted() {
                #expect(families.contains(name), "the dashboard queries \(name), which /metrics does not export")
            }
        }
    }
}
