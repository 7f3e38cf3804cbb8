import Foundation
import SwitchboardTestSupport
import Testing

/// The fakes refuse what the real providers refuse, before any scripted answer, and each refusal
/// fails the running test: here it is the known issue each test expects. The fake is made inside
/// `withKnownIssue` so that its handler tasks inherit that scope.
@Suite("fake providers refuse malformed requests")
struct FakeProviderStrictnessTests {
    static func post(port: Int, path: String, headers: [(String, String)], body: String) async throws -> RawHTTPConnection.Response {
        try await RawHTTPConnection.with(port: port) { connection in
            var text = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n"
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            try await connection.send(text + "\r\n" + body)
            return try await connection.readResponse()
        }
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }

    static let formType = ("Content-Type", "application/x-www-form-urlencoded")

    @Test(arguments: [
        [("To", "+447700900123"), ("From", "ACME"), ("MessagingServiceSid", "MG" + String(repeating: "ab", count: 16)), ("Body", "hi")],
        [("To", "+0447700900123"), ("From", "ACME"), ("Body", "hi")],
        [("To", "+1234567"), ("From", "ACME"), ("Body", "hi")],
        [("To", "+1234567890123456"), ("From", "ACME"), ("Body", "hi")],
        [("To", "+44 7700 900123"), ("From", "ACME"), ("Body", "hi")],
    ])
    func twilioRefuses(_ fields: [(String, String)]) async throws {
        var response: RawHTTPConnection.Response?
        await withKnownIssue {
            let fake = try await FakeTwilio()
            fake.script.enqueue(.json(201, #"{"sid": "SMscripted", "status": "queued"}"#))
            let credentials = "Basic " + Data("\(fake.accountSID):\(fake.authToken)".utf8).base64EncodedString()
            response = try await Self.post(
                port: fake.server.port, path: "/2010-04-01/Accounts/\(fake.accountSID)/Messages.json",
                headers: [Self.formType, ("Authorization", credentials)], body: Self.form(fields)
            )
            await fake.server.shutdown()
        }
        #expect(response?.status == 400)
    }

    @Test func twilioTakesAWellFormedRequest() async throws {
        let fake = try await FakeTwilio()
        let credentials = "Basic " + Data("\(fake.accountSID):\(fake.authToken)".utf8).base64EncodedString()
        let response = try await Self.post(
            port: fake.server.port, path: "/2010-04-01/Accounts/\(fake.accountSID)/Messages.json",
            headers: [Self.formType, ("Authorization", credentials)], body: Self.form([("To", "+447700900123"), ("From", "ACME"), ("Body", "hi")])
        )
        await fake.server.shutdown()
        #expect(response.status == 201)
        #expect(fake.violations.recorded.isEmpty)
    }

    @Test func aScriptedVonageAnswerDoesNotHideBadCredentials() async throws {
        var response: RawHTTPConnection.Response?
        var violations: [String] = []
        await withKnownIssue {
            let fake = try await FakeVonage()
            fake.script.enqueue(FakeVonage.status("1", "scripted"))
            response = try await Self.post(
                port: fake.server.port, path: "/sms/json", headers: [Self.formType],
                body: Self.form([("api_key", "k"), ("api_secret", "s"), ("from", "ACME"), ("to", "447700900123"), ("text", "hi")])
            )
            await fake.server.shutdown()
            violations = fake.violations.recorded
        }
        #expect(response?.body.contains(#""status":"4""#) == true)
        #expect(violations == ["status 4: Bad Credentials"])
    }

    @Test(arguments: [
        // Not GSM-7 without type=unicode, GSM-7 with it, and a lower-case ç, which GSM-7 lacks.
        (FakeProviderStrictnessTests.formType, [("text", "привет")]),
        (FakeProviderStrictnessTests.formType, [("text", "hello"), ("type", "unicode")]),
        (FakeProviderStrictnessTests.formType, [("text", "ça va")]),
        (("Content-Type", "text/plain"), [("text", "hello")]),
        (FakeProviderStrictnessTests.formType, [("text", "hello"), ("to", "+447700900123")]),
    ])
    func vonageRefuses(_ contentType: (String, String), _ fields: [(String, String)]) async throws {
        var response: RawHTTPConnection.Response?
        await withKnownIssue {
            let fake = try await FakeVonage()
            var all = [("api_key", fake.apiKey), ("api_secret", fake.apiSecret), ("from", "ACME"), ("to", "447700900123")]
            for (name, value) in fields {
                all.removeAll { $0.0 == name }
                all.append((name, value))
            }
            response = try await Self.post(port: fake.server.port, path: "/sms/json", headers: [contentType], body: Self.form(all))
            await fake.server.shutdown()
        }
        #expect(response?.status == 200)
        #expect(response?.body.contains(#""status":"0""#) == false)
    }

    @Test func vonageTakesUnicodeWithTypeUnicode() async throws {
        let fake = try await FakeVonage()
        let body = Self.form([("api_key", fake.apiKey), ("api_secret", fake.apiSecret), ("from", "ACME"), ("to", "447700900123"), ("text", "привет"), ("type", "unicode")])
        let response = try await Self.post(port: fake.server.port, path: "/sms/json", headers: [Self.formType], body: body)
        await fake.server.shutdown()
        #expect(response.body.contains(#""status":"0""#))
        #expect(fake.violations.recorded.isEmpty)
    }

    @Test(arguments: [("/other", #"{"phone_number":"+447700900123","sender_id":"ACME","message":"hi"}"#), ("/send-sms", #"{"phone_number":"+447700900123","message":"hi"}"#)])
    func mosaicGatewayRefuses(path: String, body: String) async throws {
        var response: RawHTTPConnection.Response?
        await withKnownIssue {
            let fake = try await FakeMosaicGateway()
            response = try await Self.post(port: fake.server.port, path: path, headers: [("Content-Type", "application/json"), ("X-API-Key", fake.apiKey)], body: body)
            await fake.server.shutdown()
        }
        #expect(response?.status == 400)
    }

    @Test func marketingCloudRESTRefusesANonJSONBody() async throws {
        var response: RawHTTPConnection.Response?
        await withKnownIssue {
            let fake = try await FakeMarketingCloud()
            let token = try await Self.post(
                port: fake.server.port, path: "/v2/token", headers: [("Content-Type", "application/json")],
                body: #"{"grant_type":"client_credentials","client_id":"\#(fake.clientID)","client_secret":"\#(fake.clientSecret)"}"#
            )
            #expect(token.status == 200)
            response = try await Self.post(
                port: fake.server.port, path: "/sms/v1/messageContact/MzA6Nzg6MA/send", headers: [("Content-Type", "text/plain"), ("Authorization", "Bearer tok-1")],
                body: #"{"mobileNumbers":["447700900123"],"messageText":"hi"}"#
            )
            await fake.server.shutdown()
        }
        #expect(response?.status == 415)
    }
}
