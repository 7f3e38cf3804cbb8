import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardProviders
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The login flow through verify providers: the provider that accepted the send owns the code
/// and checks it; our lockout, expiry and single use still hold on top.
@Suite("OTP login through verify providers", .timeLimit(.minutes(3)))
struct VerifyProviderLoginTests {
    static let phone = OTPTest.phone

    /// The usual test configuration with GB OTPs routed to `chain` and the providers it names.
    /// Generous limits: a test machine running every suite at once answers slowly, and only the
    /// timeout test wants an attempt cut short.
    static func config(
        providers: String, chain: [String], otp: String? = nil, delivery: String = "delivery: { deadline: 60s, attempt_timeout: 30s }"
    ) throws -> SwitchboardConfig {
        var yaml = otp.map { OTPTest.yaml(otp: $0) } ?? OTPTest.yaml()
        yaml = yaml.replacingOccurrences(
            of: "providers:\n  default: { type: default }\nroutes:\n",
            with: """
                providers:
                  default: { type: default }
                \(providers)
                routes:
                  - { name: logins, match: { countries: [GB], kinds: [otp] }, sender: Demo, providers: [\(chain.joined(separator: ", "))] }

                """
        )
        yaml += "\n" + delivery
        return try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: try catalog())
    }

    static func catalog() throws -> ProviderCatalog {
        try ProviderCatalog.load(directory: repositoryPath("providers"))
    }

    static func mosaic(_ fake: FakeMosaic) -> String {
        "  mosaic: { type: mosaic, client_id: \(fake.clientID), client_secret: \(fake.clientSecret), base_url: \"\(fake.server.baseURL)\" }"
    }

    static func twilio(_ fake: FakeTwilio) -> String {
        "  twilio: { type: twilio, account_sid: \(fake.accountSID), auth_token: \(fake.authToken), base_url: \"\(fake.server.baseURL)\" }"
    }

    static func authenticateCount(_ fake: FakeMosaic) -> Int {
        fake.requests.filter { $0.path == "/cis/v1/auth/otp/authenticate" }.count
    }

    static func wrong(_ code: String) -> String {
        code == "000000" ? "111111" : "000000"
    }

    @Test func mosaicSendsAndChecksTheCodeAndALoginUsesItOnce() async throws {
        let fake = try await FakeMosaic(appName: "Demo")
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic", "default"]), providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            #expect(fake.text(sentTo: Self.phone) == "\(code) is your Demo code.")
            let inboxCount = try await client.inboxCount()
            #expect(inboxCount == 0)
            let reply = try await client.authenticate(token, code: code)
            #expect(reply.status == .ok)
            #expect(reply.json["access_token"] is String)
            #expect(reply.json["id_token"] is String)
            // Single use is ours: the second try is refused without asking Mosaic.
            let again = try await client.authenticate(token, code: code)
            #expect(again.status == .badRequest)
            #expect(again.json["error_code"] as? String == "auth_invalid_credentials")
            #expect(Self.authenticateCount(fake) == 1)
        }
        await fake.server.shutdown()
    }

    @Test func mosaicDownMeansOurCodeDeliveredByTwilio() async throws {
        let mosaic = try await FakeMosaic()
        let twilio = try await FakeTwilio()
        mosaic.sendScript.enqueue(.json(500, #"{"error_code": "internal", "message": "down"}"#))
        let config = try Self.config(providers: Self.mosaic(mosaic) + "\n" + Self.twilio(twilio), chain: ["mosaic", "twilio"])
        try await OTPTest.withApp(config: config, providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            #expect(mosaic.code(sentTo: Self.phone) == nil)
            let body = try #require(twilio.requests.first?.formField("Body"))
            let code = String(try #require(body.split(whereSeparator: { !$0.isNumber }).first { $0.count == 6 }))
            #expect(body == "\(code) is your Demo code.")
            let reply = try await client.authenticate(token, code: code)
            #expect(reply.status == .ok)
            #expect(Self.authenticateCount(mosaic) == 0)
        }
        await mosaic.server.shutdown()
        await twilio.server.shutdown()
    }

    @Test func mosaicTimingOutMeansOurCodeFromTheNextProvider() async throws {
        let mosaic = try await FakeMosaic()
        mosaic.sendScript.enqueue(.hang)
        let config = try Self.config(providers: Self.mosaic(mosaic), chain: ["mosaic", "default"], delivery: "delivery: { attempt_timeout: 1s }")
        try await OTPTest.withApp(config: config, providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let reply = try await client.authenticate(token, code: try await client.latestCode())
            #expect(reply.status == .ok)
            #expect(Self.authenticateCount(mosaic) == 0)
        }
        await mosaic.server.shutdown()
    }

    @Test func wrongCodesAreCheckedByMosaicAndCountedByUsUntilTheLock() async throws {
        let fake = try await FakeMosaic()
        let otp = "{ code_length: 6, expires_in: 5m, max_failures: 2, lockout: 15m, resend_after: 30s, max_sends_per_hour: 5 }"
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic"], otp: otp), providerTypes: try Self.catalog()) {
            client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            let first = try await client.authenticate(token, code: Self.wrong(code))
            #expect(first.status == .badRequest)
            #expect(first.json["error_code"] as? String == "auth_invalid_credentials")
            let second = try await client.authenticate(token, code: Self.wrong(code))
            #expect(second.json["error_code"] as? String == "auth_invalid_credentials")
            #expect(Self.authenticateCount(fake) == 2)
            // Our lock: refused before Mosaic is asked, even with the right code.
            let locked = try await client.authenticate(token, code: code)
            #expect(locked.status == .forbidden)
            #expect(locked.json["error_code"] as? String == "auth_locked")
            #expect(Self.authenticateCount(fake) == 2)
        }
        await fake.server.shutdown()
    }

    @Test func mosaicsOwnLockIsALockForUsAndTheCodeIsGone() async throws {
        let fake = try await FakeMosaic()
        fake.checkScript.enqueue(.json(403, #"{"error_code": "auth_locked", "message": "One time code invalid due to multiple failed attempts"}"#))
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic"]), providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            let locked = try await client.authenticate(token, code: Self.wrong(code))
            #expect(locked.status == .forbidden)
            #expect(locked.json["error_code"] as? String == "auth_locked")
            let after = try await client.authenticate(token, code: code)
            #expect(after.json["error_code"] as? String == "auth_invalid_credentials")
            #expect(Self.authenticateCount(fake) == 1)
        }
        await fake.server.shutdown()
    }

    @Test func aCodeMosaicCallsExpiredIsExpiredAndGone() async throws {
        let fake = try await FakeMosaic()
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic"]), providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            fake.expire(Self.phone)
            let expired = try await client.authenticate(token, code: code)
            #expect(expired.status == .badRequest)
            #expect(expired.json["error_code"] as? String == "auth_otp_passcode_expired")
            let after = try await client.authenticate(token, code: code)
            #expect(after.json["error_code"] as? String == "auth_invalid_credentials")
            #expect(Self.authenticateCount(fake) == 1)
        }
        await fake.server.shutdown()
    }

    @Test func ourExpiryHoldsWithoutAskingMosaic() async throws {
        let fake = try await FakeMosaic()
        let clock = ManualClock()
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic"]), clock: clock, providerTypes: try Self.catalog()) {
            client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            clock.advance(by: .seconds(301))
            let expired = try await client.authenticate(token, code: code)
            #expect(expired.status == .badRequest)
            #expect(expired.json["error_code"] as? String == "auth_otp_passcode_expired")
            #expect(Self.authenticateCount(fake) == 0)
        }
        await fake.server.shutdown()
    }

    @Test func mosaicUnreachableAtCheckIsA503AndTheCodeStillWorks() async throws {
        let fake = try await FakeMosaic()
        fake.checkScript.enqueue(.json(503, #"{"error_code": "unavailable", "message": "down"}"#))
        fake.checkScript.enqueue(.close)
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic"]), providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            for _ in 0..<2 {
                let unavailable = try await client.authenticate(token, code: code)
                #expect(unavailable.status == .serviceUnavailable)
                #expect(unavailable.json["error_code"] as? String == "otp_check_unavailable")
            }
            // Nothing was counted or used up: the right code still logs in.
            let reply = try await client.authenticate(token, code: code)
            #expect(reply.status == .ok)
            #expect(Self.authenticateCount(fake) == 3)
        }
        await fake.server.shutdown()
    }

    @Test func twilioVerifySendsAndChecksTheCode() async throws {
        let fake = try await FakeTwilioVerify()
        let provider = "  verify: { type: twilio-verify, account_sid: \(fake.accountSID), auth_token: \(fake.authToken), service_sid: \(fake.serviceSID), base_url: \"\(fake.server.baseURL)\" }"
        try await OTPTest.withApp(config: try Self.config(providers: provider, chain: ["verify", "default"]), providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.send(token)
            #expect(sent.status == .ok)
            let code = try #require(fake.code(sentTo: Self.phone))
            #expect(fake.requests.first?.formField("CustomFriendlyName") == "Demo")
            let wrong = try await client.authenticate(token, code: Self.wrong(code))
            #expect(wrong.json["error_code"] as? String == "auth_invalid_credentials")
            let reply = try await client.authenticate(token, code: code)
            #expect(reply.status == .ok)
            let inboxCount = try await client.inboxCount()
            #expect(inboxCount == 0)
        }
        await fake.server.shutdown()
    }

    @Test func aMissingRequestIDIsAWrongAnswerWithoutAskingMosaic() async throws {
        let fake = try await FakeMosaic()
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic"]), providerTypes: try Self.catalog()) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let sent = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "\#(Self.phone)", "identifier_type": "phone_number", "generate_request_id": true}"#
            )
            #expect(sent.status == .ok)
            let requestID = try #require(sent.json["request_id"] as? String)
            let code = try #require(fake.code(sentTo: Self.phone))
            let withoutID = try await client.authenticate(token, code: code)
            #expect(withoutID.status == .badRequest)
            #expect(withoutID.json["error_code"] as? String == "auth_invalid_credentials")
            #expect(Self.authenticateCount(fake) == 0)
            let withID = try await client.post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(code)", "identifier": "\#(Self.phone)", "identifier_type": "phone_number", "request_id": "\#(requestID)"}"#
            )
            #expect(withID.status == .ok)
            #expect(Self.authenticateCount(fake) == 1)
        }
        await fake.server.shutdown()
    }

    @Test func theGatewayAPINeverReachesAVerifyProvider() async throws {
        let fake = try await FakeMosaic()
        try await OTPTest.withApp(config: try Self.config(providers: Self.mosaic(fake), chain: ["mosaic", "default"]), providerTypes: try Self.catalog()) { client in
            let response = try await client.http.execute(
                uri: "/v1/messages", method: .post, headers: [.authorization: "Bearer test-api-key-1", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"to": "\#(Self.phone)", "app": "demo", "otp": "482913"}"#)
            )
            #expect(response.status == .created)
            let sent = try #require(jsonObject(response.body.readableBytesView))
            #expect(sent["provider"] as? String == "default")
            let attempts = try #require(sent["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["provider"] as? String } == ["mosaic", "default"])
            #expect(attempts.first?["provider_code"] as? String == "not_a_login_otp")
            let code = try await client.latestCode()
            #expect(code == "482913")
        }
        #expect(fake.requests.isEmpty)
        await fake.server.shutdown()
    }
}
