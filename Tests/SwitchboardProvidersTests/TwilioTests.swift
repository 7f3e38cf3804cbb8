import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

@Suite("twilio definition")
struct TwilioTests {
    func settings(_ fake: FakeTwilio, extra: String = "") -> String {
        fake.settings + "\n" + extra
    }

    @Test func sendsTheExactWireFormat() async throws {
        let fake = try await FakeTwilio()
        let response = try await withProvider(type: "twilio", settings: settings(fake, extra: "receipts: { public_url: https://sms.example.com }")) {
            await send($0, try message(text: "123456 is your code"))
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(response.providerMessageID?.hasPrefix("SM") == true)
        #expect(response.code == "queued")
        let request = try #require(fake.requests.first)
        #expect(fake.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/2010-04-01/Accounts/\(fake.accountSID)/Messages.json")
        #expect(request.header("Authorization") == "Basic " + Data("\(fake.accountSID):\(fake.authToken)".utf8).base64EncodedString())
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.formFields.map(\.0) == ["To", "From", "Body", "StatusCallback"])
        #expect(request.formField("To") == "+447700900123")
        #expect(request.formField("From") == "ACME")
        #expect(request.formField("Body") == "123456 is your code")
        #expect(request.formField("StatusCallback") == "https://sms.example.com/v1/receipts/p")
        #expect(request.formField("MessagingServiceSid") == nil)
    }

    @Test func aMessagingServiceReplacesFrom() async throws {
        let fake = try await FakeTwilio()
        let service = "MG" + String(repeating: "ab", count: 16)
        let response = try await withProvider(type: "twilio", settings: settings(fake, extra: "messaging_service_sid: \(service)")) {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        let request = try #require(fake.requests.first)
        #expect(request.formField("MessagingServiceSid") == service)
        #expect(request.formField("From") == nil)
    }

    @Test func wrongCredentialsAreRetryableElsewhere() async throws {
        let fake = try await FakeTwilio()
        fake.violations.announceRefusals()
        let response = try await withProvider(type: "twilio", settings: "account_sid: \(fake.accountSID)\nauth_token: wrong\nbase_url: \(fake.server.baseURL)") {
            await send($0, try message())
        }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "20003")
        #expect(response.message == "Authenticate")
    }

    @Test(arguments: [
        (400, 21211, AttemptOutcome.permanent), (400, 21408, .permanent), (400, 21610, .permanent), (400, 21612, .permanent),
        (400, 21614, .permanent), (429, 20429, .retryable), (401, 20003, .retryable), (500, 20500, .retryable), (503, 0, .retryable),
        (400, 99999, .retryable),
    ])
    func classifiesErrors(status: Int, code: Int, expected: AttemptOutcome) async throws {
        let fake = try await FakeTwilio()
        fake.script.enqueue(.json(status, #"{"code": \#(code), "message": "scripted", "more_info": "https://www.twilio.com/docs/errors/\#(code)", "status": \#(status)}"#))
        let response = try await withProvider(type: "twilio", settings: settings(fake)) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(response.outcome == expected)
        #expect(response.code == String(code))
    }

    @Test func keepsRetryAfter() async throws {
        let fake = try await FakeTwilio()
        fake.script.enqueue(.json(429, #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#, headers: [("Retry-After", "7")]))
        let response = try await withProvider(type: "twilio", settings: settings(fake)) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.retryAfter == .seconds(7))
    }

    @Test func escapesEveryValueForTheForm() async throws {
        let fake = try await FakeTwilio()
        let text = "a & b < c > d \" e ' f ]]> g % h\nline 2 \u{1F44D} +=?&/#"
        let response = try await withProvider(type: "twilio", settings: settings(fake)) {
            await send($0, try message(sender: "My Shop", text: text, encoding: .ucs2))
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        let request = try #require(fake.requests.first)
        #expect(request.formField("Body") == text)
        #expect(request.formField("From") == "My Shop")
        #expect(request.bodyText.contains("From=My+Shop"))
        // Only the three fields, in order: nothing in the text added one.
        #expect(request.formFields.map(\.0) == ["To", "From", "Body"])
    }
}
