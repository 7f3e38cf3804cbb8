import Foundation
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Failover end to end: `Gateway.send` and the `FailoverDispatcher` over the real definitions in
/// `providers/`, the one shared HTTP client and the loopback fake providers. Each test checks the
/// stored record (status, every attempt's provider, class and code) and what each fake received.
///
/// Time: breaker cool-downs, Retry-After and attempt timeouts run on a clock the test moves, so
/// nothing waits for real time to pass. The only real-time limits are generous ones (the send's
/// deadline, the wait for a fake to receive a request): the suite shares two cores with every
/// other suite and a worker thread can be starved for seconds.
@Suite("Failover through defined providers", .timeLimit(.minutes(2)))
struct FailoverIntegrationTests {
    /// Twilio first, then Vonage: the chain most tests use.
    static let twilioThenVonage = ["twilio", "vonage"]

    // MARK: - Error answers

    @Test("a 500 from the primary is retryable: the secondary takes the message")
    func serverError() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(500, #"{"code": 20500, "message": "Internal Server Error", "status": 500}"#))
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let record = try await rig.send()
        await rig.shutdown()

        #expect(record.status == .accepted)
        #expect(record.provider == "vonage")
        #expect(record.providerMessageID == "0A0000000123ABCD1")
        #expect(summary(record) == ["twilio retryable 20500", "vonage accepted 0"])
        #expect(twilio.requests.count == 1)
        #expect(vonage.requests.count == 1)
        #expect(vonage.requests.first?.formField("to") == "447700900123")
        #expect(vonage.requests.first?.formField("client-ref") == record.id)
    }

    @Test("a 503 with Retry-After: the provider is skipped until that time, then tried again")
    func serviceUnavailableWithRetryAfter() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(503, #"{"code": 20503, "message": "Service Unavailable", "status": 503}"#, headers: [("Retry-After", "30")]))
        let rig = try await Rig(twilio: twilio, vonage: vonage)

        let first = try await rig.send()
        #expect(first.status == .accepted)
        #expect(summary(first) == ["twilio retryable 20503", "vonage accepted 0"])
        #expect(rig.breakers.states()["twilio"]?.retryAfterUntil == rig.clock.date.addingTimeInterval(30))

        // One second short of the Retry-After: Twilio is not called.
        rig.clock.advance(by: .seconds(29))
        let second = try await rig.send()
        #expect(second.status == .accepted)
        #expect(summary(second) == ["twilio skipped retry_after", "vonage accepted 0"])
        #expect(twilio.requests.count == 1)

        // Its time has come: Twilio takes the next message itself.
        rig.clock.advance(by: .seconds(1))
        let third = try await rig.send()
        await rig.shutdown()
        #expect(third.status == .accepted)
        #expect(summary(third) == ["twilio accepted queued"])
        #expect(third.providerMessageID?.hasPrefix("SM") == true)
        #expect(twilio.requests.count == 2)
        #expect(vonage.requests.count == 2)
    }

    @Test("a 429 is retryable; without Retry-After the next send tries the provider again")
    func tooManyRequests() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(429, #"{"code": 20429, "message": "Too Many Requests", "status": 429}"#))
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let first = try await rig.send()
        let second = try await rig.send()
        await rig.shutdown()

        #expect(first.status == .accepted)
        #expect(summary(first) == ["twilio retryable 20429", "vonage accepted 0"])
        #expect(first.attempts.first?.providerMessage == "Too Many Requests")
        #expect(summary(second) == ["twilio accepted queued"])
        #expect(twilio.requests.count == 2)
        #expect(vonage.requests.count == 1)
    }

    @Test("a 200 whose body says the send failed (Vonage status 1, throttled) is retryable")
    func okWithErrorBody() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        vonage.script.enqueue(FakeVonage.status("1", "Throughput Rate Exceeded"))
        let rig = try await Rig(twilio: twilio, vonage: vonage, chain: ["vonage", "twilio"])
        let record = try await rig.send()
        await rig.shutdown()

        #expect(record.status == .accepted)
        #expect(record.provider == "twilio")
        #expect(summary(record) == ["vonage retryable 1", "twilio accepted queued"])
        #expect(record.attempts.first?.providerMessage == "Throughput Rate Exceeded")
        #expect(vonage.requests.count == 1)
        #expect(twilio.requests.count == 1)
        #expect(twilio.requests.first?.formField("To") == "+447700900123")
    }

    @Test("credentials the provider refuses are retryable: another account may work")
    func rejectedCredentials() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.violations.announceRefusals()
        let rig = try await Rig(twilio: twilio, vonage: vonage, twilioToken: "not-the-token")
        let record = try await rig.send()
        await rig.shutdown()

        #expect(record.status == .accepted)
        #expect(summary(record) == ["twilio retryable 20003", "vonage accepted 0"])
        #expect(record.attempts.first?.providerMessage == "Authenticate")
        #expect(twilio.requests.count == 1)
        #expect(vonage.requests.count == 1)
    }

    @Test("an invalid number (Twilio 21211) is permanent: exactly one provider is called")
    func permanentInvalidNumber() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(400, #"{"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}"#))
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let record = try await rig.send()
        await rig.shutdown()

        #expect(record.status == .failed)
        #expect(record.provider == "twilio")
        #expect(record.providerMessageID == nil)
        #expect(summary(record) == ["twilio permanent 21211"])
        #expect(record.attempts.first?.providerMessage == "Invalid 'To' Phone Number")
        #expect(twilio.requests.count == 1)
        #expect(vonage.requests.isEmpty)
    }

    // MARK: - Unreadable answers

    @Test("malformed JSON with an error status: classified by the status, the secondary takes it")
    func malformedJSON() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(502, #"{"code": 20500, "message": "Bad Gat"#))
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let record = try await rig.send()
        await rig.shutdown()

        #expect(record.status == .accepted)
        #expect(summary(record) == ["twilio retryable http_502", "vonage accepted 0"])
        #expect(twilio.requests.count == 1)
        #expect(vonage.requests.count == 1)
    }

    @Test("malformed XML with an error status from the SOAP provider is refused whole and retryable")
    func malformedXML() async throws {
        let cloud = try await FakeMarketingCloud()
        let vonage = try await FakeVonage()
        cloud.script.enqueue(.xml(500, #"<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>"#))
        let rig = try await Rig(providers: Self.cloudThenVonage(cloud, vonage), chain: ["sfmc", "vonage"])
        let record = try await rig.send()
        await rig.shutdown()
        await cloud.server.shutdown()
        await vonage.server.shutdown()

        #expect(record.status == .accepted)
        #expect(summary(record) == ["sfmc retryable invalid_response", "vonage accepted 0"])
        #expect(record.attempts.first?.providerMessage?.hasPrefix("the XML answer was refused") == true)
        #expect(cloud.tokenRequests.count == 1)
        #expect(cloud.sendRequests.map(\.path) == ["/Service.asmx"])
        #expect(vonage.requests.count == 1)
    }

    @Test(
        "a 201 with a truncated body is ambiguous (Twilio probably took it): OTP goes on, transactional stops at one SMS",
        arguments: [MessageKind.otp, .transactional]
    )
    func truncatedSuccess(kind: MessageKind) async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        // A whole HTTP answer (its length matches) whose JSON stops short.
        twilio.script.enqueue(.json(201, #"{"sid": "SM0123", "account_sid": "AC0123", "status": "qu"#))
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let record = try await rig.send(kind: kind)
        await rig.shutdown()

        #expect(twilio.requests.count == 1)
        #expect(record.attempts.first?.providerMessage?.hasPrefix("the JSON answer does not parse") == true)
        if kind == .otp {
            #expect(record.status == .accepted)
            #expect(summary(record) == ["twilio ambiguous invalid_response", "vonage accepted 0"])
            #expect(vonage.requests.count == 1)
        } else {
            #expect(record.status == .failed)
            #expect(summary(record) == ["twilio ambiguous invalid_response"])
            #expect(vonage.requests.isEmpty)
        }
    }

    @Test(
        "a 200 with malformed XML from the SOAP provider is ambiguous: transactional stops, OTP goes on",
        arguments: [MessageKind.otp, .transactional]
    )
    func malformedXMLSuccess(kind: MessageKind) async throws {
        let cloud = try await FakeMarketingCloud()
        let vonage = try await FakeVonage()
        cloud.script.enqueue(.xml(200, #"<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CreateResponse>"#))
        let rig = try await Rig(providers: Self.cloudThenVonage(cloud, vonage), chain: ["sfmc", "vonage"])
        let record = try await rig.send(kind: kind)
        await rig.shutdown()
        await cloud.server.shutdown()
        await vonage.server.shutdown()

        #expect(cloud.sendRequests.count == 1)
        #expect(record.attempts.first?.providerMessage?.hasPrefix("the XML answer was refused") == true)
        if kind == .otp {
            #expect(summary(record) == ["sfmc ambiguous invalid_response", "vonage accepted 0"])
            #expect(vonage.requests.count == 1)
        } else {
            #expect(record.status == .failed)
            #expect(summary(record) == ["sfmc ambiguous invalid_response"])
            #expect(vonage.requests.isEmpty)
        }
    }

    /// The `providers:` entries for Marketing Cloud (SOAP) then Vonage, on their fakes.
    static func cloudThenVonage(_ cloud: FakeMarketingCloud, _ vonage: FakeVonage) -> String {
        """
              sfmc:
                type: sfmc-soap
                subdomain: mc-test
                client_id: \(cloud.clientID)
                client_secret: \(cloud.clientSecret)
                definition_key: OTP_SMS_TSD
                base_url: \(cloud.server.baseURL)
              vonage: { type: vonage, api_key: \(vonage.apiKey), api_secret: \(vonage.apiSecret), base_url: \(vonage.server.baseURL) }
            """
    }

    // MARK: - Transport failures

    @Test("connection refused (nothing listens on the port) is retryable, at once")
    func connectionRefused() async throws {
        let vonage = try await FakeVonage()
        let record = try await withRefusingAddress { deadURL in
            let providers = """
                  twilio: { type: twilio, account_sid: AC0123, auth_token: t, base_url: \(deadURL) }
                  vonage: { type: vonage, api_key: \(vonage.apiKey), api_secret: \(vonage.apiSecret), base_url: \(vonage.server.baseURL) }
                """
            let rig = try await Rig(providers: providers, chain: Self.twilioThenVonage)
            let record = try await rig.send(kind: .transactional)
            await rig.shutdown()
            return record
        }
        await vonage.server.shutdown()

        // Not sent, so safe to hand on even for a transactional message.
        #expect(record.status == .accepted)
        #expect(summary(record) == ["twilio retryable not_sent", "vonage accepted 0"])
        #expect(vonage.requests.count == 1)
    }

    @Test("a connection closed in the middle of the answer is ambiguous: OTP goes on, transactional stops", arguments: [MessageKind.otp, .transactional])
    func connectionClosedMidResponse(kind: MessageKind) async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        let head = Array(#"{"sid": "SM0123", "status": "qu"#.utf8)
        twilio.script.enqueue(.cutOff(status: 201, headers: [("Content-Type", "application/json")], body: head, declaredLength: 400))
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let record = try await rig.send(kind: kind)
        await rig.shutdown()

        #expect(twilio.requests.count == 1)
        if kind == .otp {
            #expect(record.status == .accepted)
            #expect(summary(record) == ["twilio ambiguous no_answer", "vonage accepted 0"])
            #expect(vonage.requests.count == 1)
        } else {
            // Twilio may have sent it: a second provider could send it twice.
            #expect(record.status == .failed)
            #expect(summary(record) == ["twilio ambiguous no_answer"])
            #expect(vonage.requests.isEmpty)
        }
    }

    @Test(
        "a provider that hangs is cut off at the attempt timeout as ambiguous: OTP goes on, transactional stops",
        .timeLimit(.minutes(2)), arguments: [MessageKind.otp, .transactional]
    )
    func hang(kind: MessageKind) async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.hang)
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        let sending = Task { try await rig.send(kind: kind) }
        // Once Twilio holds the request, the attempt's time runs out (on the test's clock).
        try await requireEventually(within: .seconds(60)) { twilio.requests.count == 1 }
        rig.clock.advance(by: Rig.attemptTimeout)
        let record = try await sending.value
        await rig.shutdown()

        #expect(twilio.requests.count == 1)
        if kind == .otp {
            #expect(record.status == .accepted)
            #expect(summary(record) == ["twilio ambiguous attempt_timeout", "vonage accepted 0"])
            #expect(vonage.requests.count == 1)
        } else {
            #expect(record.status == .failed)
            #expect(summary(record) == ["twilio ambiguous attempt_timeout"])
            #expect(vonage.requests.isEmpty)
        }
    }

    // MARK: - Circuit breaker

    @Test("sustained failure opens the primary's breaker, traffic moves, and after the cool-down one probe brings it back")
    func breakerOpensAndRecovers() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(500, #"{"code": 20500, "message": "Internal Server Error", "status": 500}"#), count: 3)
        let rig = try await Rig(twilio: twilio, vonage: vonage)

        // Three failures in a row (the configured threshold): each message still goes out by Vonage.
        for sent in 1...3 {
            let record = try await rig.send()
            #expect(record.status == .accepted)
            #expect(summary(record) == ["twilio retryable 20500", "vonage accepted 0"])
            #expect(twilio.requests.count == sent)
        }
        #expect(rig.breakers.states()["twilio"]?.state == .open)

        // Open: Twilio is not called at all, traffic goes straight to Vonage.
        for _ in 1...2 {
            let record = try await rig.send()
            #expect(record.status == .accepted)
            #expect(summary(record) == ["twilio skipped breaker_open", "vonage accepted 0"])
        }
        #expect(twilio.requests.count == 3)
        #expect(vonage.requests.count == 5)

        // Just short of the cool-down: still skipped.
        rig.clock.advance(by: Rig.openFor - .seconds(1))
        #expect(summary(try await rig.send()) == ["twilio skipped breaker_open", "vonage accepted 0"])
        #expect(twilio.requests.count == 3)

        // The cool-down is over: one probe goes to Twilio (healthy again), and closes the breaker.
        rig.clock.advance(by: .seconds(1))
        let probe = try await rig.send()
        #expect(probe.status == .accepted)
        #expect(summary(probe) == ["twilio accepted queued"])
        #expect(rig.breakers.states()["twilio"]?.state == .closed)

        // Back to normal: Twilio takes the traffic, Vonage gets nothing more.
        let after = try await rig.send()
        await rig.shutdown()
        #expect(summary(after) == ["twilio accepted queued"])
        #expect(twilio.requests.count == 5)
        #expect(vonage.requests.count == 6)
    }

    @Test("a failed probe opens the breaker again for another cool-down")
    func failedProbeReopens() async throws {
        let twilio = try await FakeTwilio()
        let vonage = try await FakeVonage()
        twilio.script.enqueue(.json(500, #"{"code": 20500, "message": "Internal Server Error", "status": 500}"#), count: 4)
        let rig = try await Rig(twilio: twilio, vonage: vonage)
        for _ in 1...3 { _ = try await rig.send() }
        #expect(rig.breakers.states()["twilio"]?.state == .open)

        rig.clock.advance(by: Rig.openFor)
        let probe = try await rig.send()
        #expect(summary(probe) == ["twilio retryable 20500", "vonage accepted 0"])
        #expect(rig.breakers.states()["twilio"]?.state == .open)
        #expect(summary(try await rig.send()) == ["twilio skipped breaker_open", "vonage accepted 0"])

        rig.clock.advance(by: Rig.openFor)
        let secondProbe = try await rig.send()
        await rig.shutdown()
        #expect(summary(secondProbe) == ["twilio accepted queued"])
        #expect(twilio.requests.count == 5)
        #expect(vonage.requests.count == 5)
    }
}

// MARK: - Support

/// `provider outcome code` for each attempt, in order: the shape of a failover at a glance.
private func summary(_ record: MessageRecord) -> [String] {
    record.attempts.map { "\($0.provider) \($0.outcome.rawValue) \($0.providerCode ?? "-")" }
}

/// A gateway built as the daemon builds it (config parsed against the shipped definitions, the
/// providers from the factory over one shared HTTP client), with a memory store and a clock the
/// test moves for the dispatcher and the breakers.
private struct Rig {
    /// Long enough that the transport's own (real-time) cut-off never comes first: the test's
    /// clock ends a hung attempt.
    static let attemptTimeout = Duration.seconds(60)
    static let openFor = Duration.seconds(30)

    let gateway: Gateway
    let store: MemoryStore
    let clock: ManualClock
    let breakers: CircuitBreakerRegistry
    private let http: HTTPClientService
    private let fakes: [FakeHTTPServer]

    /// Twilio and Vonage, from their fakes, in `chain` order.
    init(twilio: FakeTwilio, vonage: FakeVonage, chain: [String] = FailoverIntegrationTests.twilioThenVonage, twilioToken: String? = nil) async throws {
        let providers = """
              twilio: { type: twilio, account_sid: \(twilio.accountSID), auth_token: \(twilioToken ?? twilio.authToken), base_url: \(twilio.server.baseURL) }
              vonage: { type: vonage, api_key: \(vonage.apiKey), api_secret: \(vonage.apiSecret), base_url: \(vonage.server.baseURL) }
            """
        try await self.init(providers: providers, chain: chain, fakes: [twilio.server, vonage.server])
    }

    /// - Parameters:
    ///   - providers: The `providers:` entries, indented by four spaces.
    ///   - chain: The catch-all route's providers, in order.
    ///   - fakes: Servers to shut down with the rig.
    init(providers: String, chain: [String], fakes: [FakeHTTPServer] = []) async throws {
        // The send's deadline is the longest allowed: only the test's clock (which the dispatcher
        // compares with it) moves past attempt timeouts and cool-downs, and it must never
        // run past the deadline within one test.
        let yaml = """
            apps:
              demo: { name: Demo, message: "{otp} is your {app} code" }
            providers:
            \(providers)
            routes:
              - { name: all, sender: "+14155550100", providers: [\(chain.joined(separator: ", "))] }
            delivery:
              deadline: 300s
              attempt_timeout: \(Self.attemptTimeout.components.seconds)s
              breaker: { failures: 3, open_for: \(Self.openFor.components.seconds)s }
            """
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let shared = HTTPClientService.makeShared()
        let clock = ManualClock()
        let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker, clock: clock)
        let dispatcher = FailoverDispatcher(
            providers: ProviderFactory.makeProviders(config.providers, inbox: store, catalog: catalog, transport: shared.transport),
            attemptTimeout: config.delivery.attemptTimeout, breakers: breakers, clock: clock,
            alarms: .running(on: clock)
        )
        self.gateway = Gateway(config: config, dispatcher: dispatcher, store: store)
        self.store = store
        self.clock = clock
        self.breakers = breakers
        self.http = shared.service
        self.fakes = fakes
    }

    /// Sends one message to a UK mobile and returns its stored record, sent or not.
    func send(kind: MessageKind = .otp) async throws -> MessageRecord {
        let request = SendRequest(to: "+447700900123", app: "demo", kind: kind, content: .text("123456 is your code"))
        let id: String
        do {
            id = try await gateway.send(request, logger: Logger(label: "failover-integration")).messageID
        } catch SendError.deliveryFailed(let record) {
            #expect(record.status == .failed)
            id = record.id
        }
        // What was stored, not only what was returned.
        return try #require(await store.message(id: id))
    }

    func shutdown() async {
        for fake in fakes { await fake.shutdown() }
        try? await http.shutdown()
    }
}
