import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

@Suite("twilio-verify definition", .timeLimit(.minutes(3)))
struct TwilioVerifyTests {
    func settings(_ fake: FakeTwilioVerify, extra: String = "") -> String {
        "account_sid: \(fake.accountSID)\nauth_token: \(fake.authToken)\nservice_sid: \(fake.serviceSID)\nbase_url: \(fake.server.baseURL)\n" + extra
    }

    @Test func startsAVerificationWithTheExactParameters() async throws {
        let fake = try await FakeTwilioVerify()
        let response = try await withVerifyProvider(type: "twilio-verify", settings: settings(fake, extra: "locale: fr")) {
            await send($0, try loginOTP())
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(response.providerMessageID?.hasPrefix("VE") == true)
        let request = try #require(fake.requests.first)
        #expect(fake.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/v2/Services/\(fake.serviceSID)/Verifications")
        #expect(request.header("Authorization") == "Basic " + Data("\(fake.accountSID):\(fake.authToken)".utf8).base64EncodedString())
        #expect(request.formFields.map(\.0) == ["To", "Channel", "Locale", "CustomFriendlyName"])
        #expect(request.formField("To") == "+447700900123")
        #expect(request.formField("Channel") == "sms")
        #expect(request.formField("Locale") == "fr")
        #expect(request.formField("CustomFriendlyName") == "Acme")
        #expect(fake.code(sentTo: "+447700900123")?.count == 6)
    }

    @Test func checksTheCodeTwilioSent() async throws {
        let fake = try await FakeTwilioVerify()
        let (wrong, right, again) = try await withVerifyProvider(type: "twilio-verify", settings: settings(fake)) { provider in
            _ = await send(provider, try loginOTP())
            let code = try #require(fake.code(sentTo: "+447700900123"))
            let wrongCode = code == "000000" ? "111111" : "000000"
            return (try await check(provider, wrongCode), try await check(provider, code), try await check(provider, code))
        }
        await fake.server.shutdown()
        #expect(wrong.outcome == .wrong)
        #expect(wrong.code == "pending")
        #expect(right.outcome == .approved)
        // Approved once: Twilio no longer has the verification.
        #expect(again.outcome == .expired)
        #expect(again.code == "20404")
        let checkRequest = try #require(fake.requests.last)
        #expect(checkRequest.path == "/v2/Services/\(fake.serviceSID)/VerificationCheck")
        #expect(checkRequest.formFields.map(\.0) == ["To", "Code"])
        #expect(checkRequest.header("Authorization") == "Basic " + Data("\(fake.accountSID):\(fake.authToken)".utf8).base64EncodedString())
    }

    @Test func fiveWrongCodesLockTheVerification() async throws {
        let fake = try await FakeTwilioVerify()
        let outcomes = try await withVerifyProvider(type: "twilio-verify", settings: settings(fake)) { provider in
            _ = await send(provider, try loginOTP())
            let code = try #require(fake.code(sentTo: "+447700900123"))
            let wrongCode = code == "000000" ? "111111" : "000000"
            var outcomes: [CodeCheck.Outcome] = []
            for _ in 0..<5 { outcomes.append(try await check(provider, wrongCode).outcome) }
            return outcomes
        }
        await fake.server.shutdown()
        #expect(outcomes == [.wrong, .wrong, .wrong, .wrong, .locked])
    }

    @Test(arguments: [
        (429, 60203, AttemptOutcome.retryable), (429, 60212, .retryable), (401, 20003, .retryable), (400, 60200, .permanent),
        (503, 20500, .retryable), (400, 99999, .retryable),
    ])
    func classifiesStartErrors(status: Int, code: Int, expected: AttemptOutcome) async throws {
        let fake = try await FakeTwilioVerify()
        fake.startScript.enqueue(.json(status, #"{"code": \#(code), "message": "scripted", "status": \#(status)}"#))
        let response = try await withVerifyProvider(type: "twilio-verify", settings: settings(fake)) { await send($0, try loginOTP()) }
        await fake.server.shutdown()
        #expect(response.outcome == expected)
        #expect(response.code == String(code))
    }

    @Test(arguments: [
        (429, 60202, CodeCheck.Outcome.locked), (404, 20404, .expired), (400, 60200, .wrong), (429, 60212, .retryable), (500, 20500, .retryable),
        (401, 20003, .retryable),
    ])
    func classifiesCheckErrors(status: Int, code: Int, expected: CodeCheck.Outcome) async throws {
        let fake = try await FakeTwilioVerify()
        fake.checkScript.enqueue(.json(status, #"{"code": \#(code), "message": "scripted", "status": \#(status)}"#))
        let answer = try await withVerifyProvider(type: "twilio-verify", settings: settings(fake)) { try await check($0, "123456") }
        await fake.server.shutdown()
        #expect(answer.outcome == expected)
        #expect(answer.code == String(code))
    }

    @Test func refusesAMessageThatIsNotALoginOTP() async throws {
        let fake = try await FakeTwilioVerify()
        let response = try await withVerifyProvider(type: "twilio-verify", settings: settings(fake)) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "not_a_login_otp")
        #expect(fake.requests.isEmpty)
    }
}
