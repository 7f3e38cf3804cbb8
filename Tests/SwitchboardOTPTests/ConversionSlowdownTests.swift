import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `otp.conversion`: a bot asks for codes to many numbers in one country and never verifies one.
/// Once the country has had `min_sends` codes with too few verified, its sends are slowed to
/// `slow_to` per minute (`429 conversion_slowdown`), while ordinary users elsewhere, who verify,
/// keep logging in. The slowdown ends when verifications recover, when the unverified sends leave
/// the window, or when an operator clears it. Each run states how many codes the bot got out.
@Suite("OTP conversion slowdown", .timeLimit(.minutes(3)))
struct ConversionSlowdownTests {
    static let admin: HTTPFields = [.authorization: "Bearer admin-token-0123456789"]
    /// Floor 20 codes in an hour, half of them verified, slowed to two a minute; countries only, so
    /// that the count is the country's.
    static let yaml =
        OTPTest.yaml(
            otp: """
                { resend_after: 0s, max_sends_per_hour: 10, conversion: { window: 1h, min_sends: 20, min_verified_share: 0.5, slow_to: 2/m, prefix_digits: off } }
                """
        ) + "\nadmin:\n  tokens: [admin-token-0123456789]\n"
    /// Sixty British mobiles, each under its own prefix, so the velocity rule lets them all through.
    static let bots = (0..<60).map { "+4474\(10 + $0)123456" }
    /// Ordinary US users, who verify every code they get.
    static let ordinary = ["202", "312", "415", "617", "212", "305", "404", "503", "702", "713"].map { "+1\($0)5550123" }

    struct Run {
        var codesOut = 0
        var refusals: [String: Int] = [:]
        var firstRefusal: OTPTest.Reply?
    }

    /// `steps` bot sends, one a second, round the bot numbers; every fifth second an ordinary user
    /// logs in and must succeed.
    static func attack(_ client: OTPTest.Client, token: String, clock: ManualClock, steps: Int, from first: Int = 0) async throws -> Run {
        var run = Run()
        for step in first..<(first + steps) {
            clock.advance(by: .seconds(1))
            let reply = try await client.send(token, phone: bots[step % bots.count])
            if reply.status == .ok {
                run.codesOut += 1
            } else {
                run.refusals[reply.json["error_code"] as? String ?? "\(reply.status.code)", default: 0] += 1
                if run.firstRefusal == nil { run.firstRefusal = reply }
            }
            if step % 5 == 4 {
                let user = ordinary[step / 5 % ordinary.count]
                let sent = try await client.send(token, phone: user)
                #expect(sent.status == .ok, "an ordinary user was refused at step \(step): \(sent.text)")
                let login = try await client.authenticate(token, code: try await client.latestCode(to: user), phone: user)
                #expect(login.status == .ok, "an ordinary user could not log in at step \(step): \(login.text)")
            }
        }
        return run
    }

    static func signUp(_ client: OTPTest.Client, token: String) async throws {
        for number in bots + ordinary { _ = try await client.createUser(token, phone: number) }
    }

    static func slowdowns(_ client: OTPTest.Client) async throws -> [[String: Any]] {
        let reply = try await client.get("/admin/slowdowns", headers: admin)
        #expect(reply.status == .ok)
        return reply.json["slowdowns"] as? [[String: Any]] ?? []
    }

    /// The clock starts on a minute. The refresh of the view every five seconds finds the floor
    /// reached at the 21st second: by then twenty codes are out and the minute's count is over the
    /// rate, so the rest of that minute is refused; each later minute lets two through.
    @Test func aCountryThatNeverVerifiesIsSlowedWhileOthersFlowAndAnOperatorClearsIt() async throws {
        let clock = ManualClock()
        let logs = LogRecords()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock, logger: logs.logger(label: "otp-test")) { client in
            let token = try await client.clientToken()
            try await Self.signUp(client, token: token)
            let run = try await Self.attack(client, token: token, clock: clock, steps: 150)
            #expect(run.codesOut == 24)
            #expect(run.refusals == ["conversion_slowdown": 126])
            var bySent = 0
            for number in Self.bots { bySent += try await client.inboxCount(to: number) }
            #expect(bySent == 24)

            let refused = try #require(run.firstRefusal)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "39")
            #expect(refused.json["message"] as? String == "Passcodes to GB are slowed: few recent ones were used; retry after 39 seconds")

            // Logged once, when it began; counted on every refusal; shown by the gauge.
            let warnings = logs.all.filter { $0.message.hasPrefix("OTP sends slowed") }
            #expect(warnings.count == 1)
            #expect(warnings.first?.level == .warning)
            #expect(warnings.first?.metadata["sb.conversion.scope"] == "GB")
            #expect(warnings.first?.metadata["sb.conversion.sent"] == "20")
            let page = PrometheusPage(try await client.get("/metrics", headers: Self.admin).text)
            #expect(page.value("switchboard_otp_abuse_refusals_total", ["app": "demo", "country": "GB", "rule": "conversion"]) == 126)
            #expect(page.value("switchboard_otp_conversion_slowed_countries", ["app": "demo", "country": "GB"]) == 1)
            #expect(page.value("switchboard_otp_conversion_slowed_countries", ["app": "demo", "country": "US"]) == nil)

            let listed = try await Self.slowdowns(client)
            #expect(listed.count == 1)
            #expect(listed.first?["app"] as? String == "demo")
            #expect(listed.first?["scope"] as? String == "GB")
            #expect(listed.first?["kind"] as? String == "country")
            #expect(listed.first?["sent"] as? Int == 24)
            #expect(listed.first?["verified"] as? Int == 0)
            #expect(listed.first?["slow_to"] as? String == "2/m")

            let wrong = OTPTest.Reply(try await client.http.execute(uri: "/admin/slowdowns/GBR", method: .delete, headers: Self.admin, body: nil))
            #expect(wrong.status == .badRequest)
            #expect((wrong.json["error"] as? [String: Any])?["code"] as? String == "invalid_scope")
            let cleared = OTPTest.Reply(try await client.http.execute(uri: "/admin/slowdowns/GB", method: .delete, headers: Self.admin, body: nil))
            #expect(cleared.status == .ok)
            #expect(cleared.json["cleared_apps"] as? [String] == ["demo"])
            #expect(try await Self.slowdowns(client).isEmpty)
            // This daemon sees the clear at its next send: the bot's codes flow again, up to the floor.
            let after = try await Self.attack(client, token: token, clock: clock, steps: 3, from: 150)
            #expect(after.codesOut == 3)
        }
    }

    /// The default rule (50 codes an hour, 20% verified, 5 a minute): the bot gets fifty codes
    /// before the floor, then five a minute.
    @Test func withTheDefaultRuleTheBotGetsTheFloorThenFiveAMinute() async throws {
        let clock = ManualClock()
        let yaml = OTPTest.yaml(otp: "{ resend_after: 0s, max_sends_per_hour: 10 }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml), clock: clock) { client in
            let token = try await client.clientToken()
            try await Self.signUp(client, token: token)
            let run = try await Self.attack(client, token: token, clock: clock, steps: 150)
            #expect(run.codesOut == 60)
            #expect(run.refusals == ["conversion_slowdown": 90])
        }
    }

    /// Once the unverified sends have left the window, the country is below the floor: sends flow,
    /// the recovery is logged once and the gauge drops.
    @Test func theSlowdownEndsWhenTheUnverifiedSendsLeaveTheWindow() async throws {
        let clock = ManualClock()
        let logs = LogRecords()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock, logger: logs.logger(label: "otp-test")) { client in
            let token = try await client.clientToken()
            try await Self.signUp(client, token: token)
            let run = try await Self.attack(client, token: token, clock: clock, steps: 30)
            #expect(run.codesOut == 20)
            clock.advance(by: .seconds(3700))
            let renewed = try await client.clientToken()
            let later = try await Self.attack(client, token: renewed, clock: clock, steps: 10, from: 30)
            #expect(later.codesOut == 10)
            #expect(logs.all.filter { $0.message.hasPrefix("OTP sends no longer slowed") }.count == 1)
            let page = PrometheusPage(try await client.get("/metrics", headers: Self.admin).text)
            #expect(page.value("switchboard_otp_conversion_slowed_countries", ["app": "demo", "country": "GB"]) == 0)
        }
    }

    /// British users who verify their codes lift the share: at half verified the country is no
    /// longer slowed, and sends go out beyond the slowed rate.
    @Test func verificationsThatRecoverEndTheSlowdown() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let token = try await client.clientToken()
            try await Self.signUp(client, token: token)
            _ = try await Self.attack(client, token: token, clock: clock, steps: 25)
            // Twenty unverified: twenty verified codes make half. Two a minute may go while slowed.
            var verified = 0
            var minute = 0
            while verified < 20, minute < 30 {
                clock.advance(by: .seconds(60))
                minute += 1
                for _ in 0..<2 where verified < 20 {
                    // Numbers the bot did not use, one code each.
                    let number = Self.bots[30 + verified]
                    guard try await client.send(token, phone: number).status == .ok else { continue }
                    let login = try await client.authenticate(token, code: try await client.latestCode(to: number), phone: number)
                    if login.status == .ok { verified += 1 }
                }
            }
            #expect(verified == 20)
            #expect(minute == 10)
            // Past the next refresh the view has recovered: more than two sends in one minute.
            clock.advance(by: .seconds(60))
            var out = 0
            for number in Self.bots[10..<15] where try await client.send(token, phone: number).status == .ok { out += 1 }
            #expect(out == 5)
        }
    }

    /// Every mistake names its place and says what to write.
    @Test func conversionMistakesNameTheirPlace() throws {
        func problems(_ conversion: String) -> [String] {
            OTPTest.configProblems(OTPTest.yaml(otp: "{ conversion: \(conversion) }"))
        }
        #expect(problems("{ min_verified_share: 1.5 }") == [
            "test.yaml:8:46: 'apps.demo.otp.conversion.min_verified_share' must be a share of sent codes above 0 and at most 1, such as 0.2, not \"1.5\""
        ])
        #expect(problems("{ slow_to: 5/h }") == ["test.yaml:8:35: 'apps.demo.otp.conversion.slow_to' must be sends per minute, such as 5/m (0 to 100000), not \"5/h\""])
        #expect(problems("{ prefix_digits: 2 }").first?.hasPrefix("test.yaml:8:41: 'apps.demo.otp.conversion.prefix_digits' must be a whole number from 3 to 14, or off") == true)
        #expect(problems("{ window: 1m }").first?.contains("must be between 5m and 7d") == true)
        #expect(problems("{ min_send: 10 }").first?.contains("min_send") == true)
        #expect(problems("no").first?.contains("write off, or a mapping") == true)
        #expect(problems("off").isEmpty)
        #expect(problems("{ window: 2h, min_sends: 100, min_verified_share: 0.1, slow_to: 0/m, prefix_digits: off }").isEmpty)
        let config = try OTPTest.config(OTPTest.yaml(otp: "{ conversion: { slow_to: 0/m, prefix_digits: off } }"))
        let rule = try #require(config.apps.first { $0.id == "demo" }?.otp.conversion)
        #expect(rule.slowTo == 0 && rule.prefixDigits == nil && rule.minSends == 50 && rule.minVerifiedShare == 0.2 && rule.window == .seconds(3600))
        // On by default, with the documented values.
        let defaults = try #require(try OTPTest.config().apps.first { $0.id == "demo" }?.otp.conversion)
        #expect(defaults == ConversionRule())
        #expect(defaults.slowTo == 5 && defaults.prefixDigits == 7)
    }
}
