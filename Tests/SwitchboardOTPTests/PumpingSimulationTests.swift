import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Simulated SMS pumping against the default abuse rules: bots sign numbers up and ask for codes,
/// while ordinary users in another country keep logging in. Each run states exactly how many codes
/// the attacker got out before a defence stopped it (the README's "Abuse and fraud" figures).
@Suite("SMS pumping simulation", .timeLimit(.minutes(3)))
struct PumpingSimulationTests {
    /// Ten ordinary US users, each under its own prefix.
    static let ordinary = ["202", "312", "415", "617", "212", "305", "404", "503", "702", "713"].map { "+1\($0)5550123" }

    /// Runs the attack: for each number, sign up and ask for a code; every tenth step an ordinary
    /// user does the same and must get theirs. - Returns: The attacker's codes out and refusals by code.
    static func attack(
        _ client: OTPTest.Client, numbers: [String]
    ) async throws -> (codesOut: Int, refusals: [String: Int]) {
        let token = try await client.clientToken()
        var refusals: [String: Int] = [:]
        for (step, number) in numbers.enumerated() {
            _ = try await client.createUser(token, phone: number)
            let reply = try await client.send(token, phone: number)
            if reply.status != .ok { refusals[reply.json["error_code"] as? String ?? "\(reply.status.code)", default: 0] += 1 }
            if step % 10 == 9 {
                let user = ordinary[step / 10 % ordinary.count]
                _ = try await client.createUser(token, phone: user)
                let answer = try await client.send(token, phone: user)
                #expect(answer.status == .ok, "an ordinary user was refused at step \(step): \(answer.text)")
            }
        }
        var codesOut = 0
        for number in Set(numbers) { codesOut += try await client.inboxCount(to: number) }
        return (codesOut, refusals)
    }

    /// A hundred sequential numbers under one prefix: the velocity rule lets twenty through, then
    /// blocks the prefix for everything after.
    @Test func sequentialNumbersAreStoppedByTheVelocityRule() async throws {
        try await OTPTest.withApp { client in
            let numbers = (0..<100).map { "+447700900" + String(format: "%03d", $0) }
            let (codesOut, refusals) = try await Self.attack(client, numbers: numbers)
            #expect(codesOut == 20)
            #expect(refusals == ["prefix_blocked": 80])
        }
    }

    /// A premium-rate range: not a single code goes out.
    @Test func aPremiumRangeGetsNothing() async throws {
        try await OTPTest.withApp { client in
            let numbers = (0..<50).map { "+1900555" + String(format: "%04d", $0) }
            let (codesOut, refusals) = try await Self.attack(client, numbers: numbers)
            #expect(codesOut == 0)
            #expect(refusals == ["number_type_not_allowed": 50])
        }
    }

    /// Numbers spread over many prefixes slip under the velocity rule; the country's budget stops them.
    @Test func spreadNumbersAreStoppedByTheCountryBudget() async throws {
        let yaml = OTPTest.yaml(otp: "{ budgets: { GB: 30/h, default: 1000/h } }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            // +44 7410 123456 to +44 7469 123456: British mobiles (no Crown dependency's range among
            // them), each under its own seven-digit prefix.
            let numbers = (0..<60).map { "+4474\(10 + $0)" + "123456" }
            let (codesOut, refusals) = try await Self.attack(client, numbers: numbers)
            #expect(codesOut == 30)
            #expect(refusals == ["send_budget_exceeded": 30])
        }
    }

    /// One signed-up user naming a new `custom_phone_number` each time (when the app allows them):
    /// the user's cool-down and the custom-number limit hold it to a few codes an hour.
    @Test func oneUserNamingManyNumbersGetsItsCustomLimit() async throws {
        let clock = ManualClock()
        let yaml = OTPTest.yaml(demo: "    custom_phone_number: { allow: true }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml), clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            var out = 0
            for index in 0..<40 {
                let number = "+447700900" + String(format: "%03d", 500 + index)
                let reply = try await client.post(
                    "/cis/v1/auth/otp/send", token: token,
                    #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_phone_number": "\#(number)"}"#
                )
                if reply.status == .ok { out += 1 }
                // A bot that waits out the cool-down each time.
                clock.advance(by: .seconds(30))
            }
            #expect(out == 3)
        }
    }
}
