import Foundation
import HTTPTypes
import Logging
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `otp.budgets`: a country's budget refuses with `429` and `Retry-After` until its window ends,
/// logs once per window, shows in metrics, and leaves other countries' sends alone.
@Suite("otp/send budgets", .timeLimit(.minutes(3)))
struct SendBudgetTests {
    static func expectOverBudget(
        _ reply: OTPTest.Reply, retryAfter: Int, country: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == .tooManyRequests, sourceLocation: sourceLocation)
        #expect(reply.headers[.retryAfter] == "\(retryAfter)", sourceLocation: sourceLocation)
        #expect(reply.json["error_code"] as? String == "send_budget_exceeded", sourceLocation: sourceLocation)
        #expect(
            reply.json["message"] as? String
                == "This app has sent all the passcodes its budget allows to \(country) for now; retry after \(retryAfter) seconds",
            sourceLocation: sourceLocation
        )
    }

    @Test func aCountrysBudgetRefusesUntilTheHourEndsWhileOthersFlow() async throws {
        let clock = ManualClock()
        let logs = LogRecords()
        // `/metrics` is an admin route.
        let yaml = OTPTest.yaml(otp: "{ budgets: { GB: 2/h, default: 100/h } }") + "\nadmin:\n  tokens: [admin-token-0123456789]\n"
        try await OTPTest.withApp(config: try OTPTest.config(yaml), clock: clock, logger: logs.logger(label: "otp-test")) { client in
            let token = try await client.clientToken()
            let british = (1...5).map { "+4477009002\(String(format: "%02d", $0))" }
            for number in british { _ = try await client.createUser(token, phone: number) }
            #expect(try await client.send(token, phone: british[0]).status == .ok)
            #expect(try await client.send(token, phone: british[1]).status == .ok)
            clock.advance(by: .seconds(600))
            Self.expectOverBudget(try await client.send(token, phone: british[2]), retryAfter: 3000, country: "GB")
            Self.expectOverBudget(try await client.send(token, phone: british[3]), retryAfter: 3000, country: "GB")
            #expect(try await client.inboxCount(to: british[2]) == 0)

            // Sends to another country go on.
            _ = try await client.createUser(token, phone: "+14155550123")
            #expect(try await client.send(token, phone: "+14155550123").status == .ok)

            // A refused send spent nothing: the next hour has the whole budget again.
            clock.advance(by: .seconds(3000))
            let renewed = try await client.clientToken()
            #expect(try await client.send(renewed, phone: british[2]).status == .ok)
            #expect(try await client.send(renewed, phone: british[3]).status == .ok)
            Self.expectOverBudget(try await client.send(renewed, phone: british[4]), retryAfter: 3600, country: "GB")

            // One warning per window, not one per refusal.
            let warnings = logs.all.filter { $0.message.hasPrefix("OTP send budget spent") }
            #expect(warnings.count == 2)
            #expect(warnings.first?.level == .warning)
            #expect(warnings.first?.metadata["sb.budget.scope"] == "GB")
            #expect(warnings.first?.metadata["sb.budget.rate"] == "2/h")

            let scraped = try await client.get("/metrics", headers: [.authorization: "Bearer admin-token-0123456789"])
            let page = PrometheusPage(scraped.text)
            #expect(page.value("switchboard_otp_abuse_refusals_total", ["app": "demo", "country": "GB", "rule": "budget"]) == 3)
        }
    }

    /// A send the cool-down refuses gives its budget back: budgets count messages sent, not asked for.
    @Test func aSendRefusedByTheCooldownSpendsNoBudget() async throws {
        let yaml = OTPTest.yaml(otp: "{ budgets: { GB: 2/h } }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            for _ in 0..<3 { #expect(try await client.send(token).status == .tooManyRequests) }
            _ = try await client.createUser(token, phone: "+447700900299")
            #expect(try await client.send(token, phone: "+447700900299").status == .ok)
        }
    }

    @Test func theTotalCapsEveryCountryTogether() async throws {
        let yaml = OTPTest.yaml(otp: "{ budgets: { total: 2/d } }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            for number in ["+447700900301", "+14155550301", "+33612345678"] { _ = try await client.createUser(token, phone: number) }
            #expect(try await client.send(token, phone: "+447700900301").status == .ok)
            #expect(try await client.send(token, phone: "+14155550301").status == .ok)
            let refused = try await client.send(token, phone: "+33612345678")
            #expect(refused.status == .tooManyRequests)
            // The clock starts at 08:00 UTC: the day ends in sixteen hours.
            #expect(refused.headers[.retryAfter] == "57600")
            #expect(
                refused.json["message"] as? String
                    == "This app has sent all the passcodes its budget allows for now; retry after 57600 seconds"
            )
        }
    }

    @Test func budgetMistakesNameTheirPlace() {
        let country = OTPTest.configProblems(OTPTest.yaml(otp: "{ budgets: { NGA: 50/h } }"))
        #expect(country.count == 1 && country.first?.hasPrefix("test.yaml:8:") == true && country.first?.contains("NGA") == true, "\(country)")
        let rate = OTPTest.configProblems(OTPTest.yaml(otp: "{ budgets: { NG: 50/week } }"))
        #expect(rate.count == 1 && rate.first?.contains(#""50/week""#) == true && rate.first?.contains("such as 50/h") == true, "\(rate)")
        let twice = OTPTest.configProblems(OTPTest.yaml(otp: "{ budgets: { NG: [50/h, 60/h] } }"))
        #expect(twice.first?.contains("two budgets per hour") == true, "\(twice)")
        #expect(OTPTest.configProblems(OTPTest.yaml(otp: "{ budgets: { NG: [50/h, 400/d], default: none, total: 20000/d } }")).isEmpty)
    }
}
