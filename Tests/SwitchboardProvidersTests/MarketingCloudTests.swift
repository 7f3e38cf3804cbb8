import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import SwitchboardXML
import Testing

@Suite("sfmc-soap and sfmc-rest definitions")
struct MarketingCloudTests {
    func settings(_ fake: FakeMarketingCloud, extra: String = "") -> String {
        """
        subdomain: mc-test
        client_id: \(fake.clientID)
        client_secret: \(fake.clientSecret)
        definition_key: OTP_SMS_TSD
        base_url: \(fake.server.baseURL)
        \(extra)
        """
    }

    @Test func tokenThenSOAPCreateWithTheExactEnvelope() async throws {
        let fake = try await FakeMarketingCloud()
        let response = try await withProvider(type: "sfmc-soap", settings: settings(fake, extra: "account_id: \"514000123\"")) {
            await send($0, try message(text: "123456 is your code"))
        }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(response.providerMessageID?.hasPrefix("5f3c1a52-") == true)
        #expect(response.code == "OK")

        let token = try #require(fake.tokenRequests.first)
        #expect(fake.tokenRequests.count == 1)
        #expect(token.method == "POST")
        #expect(token.header("Content-Type") == "application/json")
        let tokenBody = try #require(token.json)
        #expect(tokenBody["grant_type"] as? String == "client_credentials")
        #expect(tokenBody["client_id"] as? String == fake.clientID)
        #expect(tokenBody["client_secret"] as? String == fake.clientSecret)
        #expect(tokenBody["account_id"] as? String == "514000123")
        #expect(tokenBody.count == 4)

        let soap = try #require(fake.sendRequests.first)
        #expect(soap.path == "/Service.asmx")
        #expect(soap.header("SOAPAction") == "Create")
        #expect(soap.header("Content-Type") == "text/xml; charset=utf-8")
        #expect(soap.header("Authorization") == nil)
        let document = try SafeXMLDocument(parsing: soap.body)
        let ns = [
            "s": "http://schemas.xmlsoap.org/soap/envelope/", "et": "http://exacttarget.com", "p": "http://exacttarget.com/wsdl/partnerAPI",
            "xsi": "http://www.w3.org/2001/XMLSchema-instance",
        ]
        #expect(try document.string(at: "/s:Envelope/s:Header/et:fueloauth", namespaces: ns) == "tok-1")
        let object = "/s:Envelope/s:Body/p:CreateRequest/p:Objects"
        #expect(try document.string(at: "count(/s:Envelope/s:Body/p:CreateRequest/p:Options)", namespaces: ns) == "1")
        #expect(try document.string(at: "\(object)/@xsi:type", namespaces: ns) == "SMSTriggeredSend")
        #expect(try document.string(at: "\(object)/p:SMSTriggeredSendDefinition/p:CustomerKey", namespaces: ns) == "OTP_SMS_TSD")
        #expect(try document.string(at: "\(object)/p:Subscriber/p:SubscriberKey", namespaces: ns) == "447700900123")
        #expect(try document.string(at: "\(object)/p:Message", namespaces: ns) == "123456 is your code")
        #expect(try document.string(at: "\(object)/p:Number", namespaces: ns) == "447700900123")
        // Element order as the schema's sequence says.
        #expect(try document.strings(at: "\(object)/*", namespaces: ns).count == 4)
        #expect(try document.string(at: "name(\(object)/*[1])", namespaces: ns) == "SMSTriggeredSendDefinition")
        #expect(try document.string(at: "name(\(object)/*[3])", namespaces: ns) == "Message")
        #expect(try document.string(at: "name(\(object)/*[4])", namespaces: ns) == "Number")
    }

    @Test func theEnvelopeValidatesAgainstTheSchemaOfTheTypesWeSend() async throws {
        let fake = try await FakeMarketingCloud()
        let text = "a & b < c > d \" e ' f ]]> g % h\nline 2 \u{1F44D}"
        _ = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { await send($0, try message(sender: "My Shop", text: text)) }
        await fake.server.shutdown()
        let soap = try #require(fake.sendRequests.first)
        let document = try SafeXMLDocument(parsing: soap.body)
        #expect(try document.string(at: "//*[local-name()='Message']") == text)
        try await XSDValidation.validateCreateRequest(envelope: soap.bodyText)
    }

    @Test(
        "the schema refuses what the API would: objects out of order, an element it does not know, no Options",
        arguments: [
            "<Options/><Objects xsi:type=\"SMSTriggeredSend\"><Number>447700900123</Number><Message>Hi</Message></Objects>",
            "<Options/><Objects xsi:type=\"SMSTriggeredSend\"><Message>Hi</Message><Sender>Shop</Sender></Objects>",
            "<Objects xsi:type=\"SMSTriggeredSend\"><Message>Hi</Message></Objects>",
        ]
    )
    func theSchemaCanFail(objects: String) async throws {
        let wrapped = #"<CreateRequest xmlns="http://exacttarget.com/wsdl/partnerAPI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
        let good = try await XSDValidation.check(wrapped + #"<Options/><Objects xsi:type="SMSTriggeredSend"><Message>Hi</Message><Number>447700900123</Number></Objects></CreateRequest>"#)
        #expect(good.valid, "\(good.said)")
        let bad = try await XSDValidation.check(wrapped + objects + "</CreateRequest>")
        #expect(!bad.valid, "\(bad.said)")
    }

    @Test func twoHundredConcurrentSendsShareOneToken() async throws {
        let fake = try await FakeMarketingCloud()
        fake.setTokenDelay(.milliseconds(200))
        let outcomes = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { provider in
            await withTaskGroup(of: AttemptOutcome.self) { group in
                for _ in 0..<200 {
                    group.addTask { await send(provider, try! message()).outcome }
                }
                return await group.reduce(into: [AttemptOutcome]()) { $0.append($1) }
            }
        }
        await fake.server.shutdown()
        #expect(fake.tokenRequests.count == 1)
        #expect(fake.sendRequests.count == 200)
        #expect(outcomes.allSatisfy { $0 == .accepted })
    }

    /// The token request runs in the task of the send that made it: when that send is cancelled,
    /// a send that waited on it asks again rather than fail with it.
    @Test(.timeLimit(.minutes(3)))
    func aTokenRequestGivenUpWithItsSendIsAskedAgainByTheSendWaitingOnIt() async throws {
        let fake = try await FakeMarketingCloud()
        // The first token answer never comes before the test ends; later ones come at once.
        fake.setTokenDelay(.seconds(3600))
        let (first, second) = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { provider in
            let tokens = try #require((provider as? DefinedProvider)?.tokens)
            let asking = Task { await send(provider, try! message()) }
            try await waitUntil { fake.tokenRequests.count == 1 }
            fake.setTokenDelay(.zero)
            let waiting = Task { await send(provider, try! message()) }
            try await waitUntil { await tokens.waitingCount == 1 }
            asking.cancel()
            return (await asking.value, await waiting.value)
        }
        await fake.server.shutdown()
        #expect(first.outcome == .retryable)
        #expect(first.code == "token_unreachable")
        #expect(second.outcome == .accepted)
        #expect(fake.tokenRequests.count == 2)
        #expect(fake.sendRequests.count == 1)
    }

    /// What ends a send's wait for another send's token request.
    enum WaitEnd: CaseIterable, Sendable {
        /// The waiting send has less time left than the one that made the request.
        case ownDeadline
        case cancellation
    }

    /// A send waits for another's token request only until its own deadline or its cancellation: it
    /// then answers unsent, and the request goes on for the send that made it.
    @Test(.timeLimit(.minutes(3)), arguments: WaitEnd.allCases)
    func aSendStopsWaitingForAnothersTokenRequest(at end: WaitEnd) async throws {
        let fake = try await FakeMarketingCloud()
        fake.setTokenDelay(.seconds(6))
        let (first, waiter) = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { provider in
            let tokens = try #require((provider as? DefinedProvider)?.tokens)
            let asking = Task { await send(provider, try! message()) }
            try await waitUntil { fake.tokenRequests.count == 1 }
            // Long enough for the send to reach the wait on a machine busy with the rest of the suite
            // (a deadline that passes before it gets there ends it earlier, with another answer), and
            // well within the token request's delay, so that it passes while the request is in flight.
            let timeout: Duration = end == .ownDeadline ? .seconds(2) : .seconds(90)
            let waiting = Task { await send(provider, try! message(), timeout: timeout) }
            if end == .cancellation {
                try await waitUntil { await tokens.waitingCount == 1 }
                waiting.cancel()
            }
            return (await asking.value, await waiting.value)
        }
        await fake.server.shutdown()
        #expect(waiter.outcome == .retryable)
        #expect(waiter.code == "token_unreachable")
        switch end {
        case .ownDeadline: #expect(waiter.message == "the token request in flight had not answered by the attempt's deadline")
        case .cancellation: #expect(waiter.message == "the send was cancelled while the token request was in flight")
        }
        #expect(first.outcome == .accepted)
        #expect(fake.tokenRequests.count == 1)
        #expect(fake.sendRequests.count == 1)
    }

    /// Waits (bounded, in real time) until `condition` holds.
    func waitUntil(_ condition: () async -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var polls = 0
        while !(await condition()), polls < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            polls += 1
        }
        let holds = await condition()
        try #require(holds, sourceLocation: sourceLocation)
    }

    @Test func aRejectedTokenIsRefreshedExactlyOnce() async throws {
        let fake = try await FakeMarketingCloud()
        try await withProvider(type: "sfmc-soap", settings: settings(fake)) { provider in
            let sent = try await send(provider, message())
            #expect(sent.outcome == .accepted)
            fake.revokeTokens()
            let outcomes = await withTaskGroup(of: AttemptOutcome.self) { group in
                for _ in 0..<20 { group.addTask { await send(provider, try! message()).outcome } }
                return await group.reduce(into: [AttemptOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 == .accepted })
        }
        await fake.server.shutdown()
        #expect(fake.tokenRequests.count == 2)
    }

    /// Hears of token requests as the daemon's metrics do.
    final class TokenRequests: SendObserver {
        let heard = Locked<[[String]]>([])
        func sendFinished(_ record: MessageRecord, elapsed: Duration) {}
        func tokenRequested(provider: String, failure: String?) { heard.withLock { $0.append([provider, failure ?? "ok"]) } }
    }

    @Test("each token request is reported once with its outcome: the first token, a refresh after a rejection, a refusal")
    func tokenRequestsAreObserved() async throws {
        let fake = try await FakeMarketingCloud()
        let observer = TokenRequests()
        try await withProvider(type: "sfmc-soap", settings: settings(fake), observer: observer) { provider in
            for _ in 0..<2 {
                let sent = try await send(provider, message())
                #expect(sent.outcome == .accepted)
            }
            fake.revokeTokens()
            let afterRevoke = try await send(provider, message())
            #expect(afterRevoke.outcome == .accepted)
        }
        let wrongSecret = settings(fake).replacingOccurrences(of: fake.clientSecret, with: "wrong-secret-0123456789")
        fake.violations.announceRefusals()
        _ = try await withProvider(type: "sfmc-soap", settings: wrongSecret, observer: observer) { try await send($0, message()) }
        await fake.server.shutdown()
        #expect(observer.heard.withLock { $0 } == [["p", "ok"], ["p", "ok"], ["p", "token_refused"]])
    }

    @Test func aTokenRejectedTwiceIsRetryableNotALoop() async throws {
        let fake = try await FakeMarketingCloud()
        fake.script.enqueue(FakeMarketingCloud.securityFault("Token Expired"), count: 5)
        let response = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(fake.tokenRequests.count == 2)
        #expect(fake.sendRequests.count == 2)
    }

    @Test func anExpiredTokenIsReplaced() async throws {
        // A 1s token is used for half its life, on a clock the test moves: the sends before and
        // after its refresh time are exactly those the test makes, however slow the runner.
        let fake = try await FakeMarketingCloud()
        fake.setTokenLifetime(seconds: 1)
        let clock = ManualClock()
        try await withProvider(type: "sfmc-soap", settings: settings(fake), clock: clock) { provider in
            let first = try await send(provider, message())
            #expect(first.outcome == .accepted)
            #expect(fake.tokenRequests.count == 1)
            clock.advance(by: .milliseconds(499))
            // Still within its usable half: the same token.
            let reused = try await send(provider, message())
            #expect(reused.outcome == .accepted)
            #expect(fake.tokenRequests.count == 1)
            #expect(fake.sendRequests.last?.bodyText.contains(">tok-1<") == true)
            clock.advance(by: .milliseconds(1))
            // Past its refresh time: the next send fetches a new token and sends with it.
            let second = try await send(provider, message())
            #expect(second.outcome == .accepted)
            #expect(fake.tokenRequests.count == 2)
            #expect(fake.sendRequests.last?.bodyText.contains(">tok-2<") == true)
        }
        await fake.server.shutdown()
    }

    @Test func wrongClientSecretIsRetryableWithoutSending() async throws {
        let fake = try await FakeMarketingCloud()
        fake.violations.announceRefusals()
        let response = try await withProvider(
            type: "sfmc-soap", settings: "subdomain: x\nclient_id: \(fake.clientID)\nclient_secret: nope\ndefinition_key: K\nbase_url: \(fake.server.baseURL)"
        ) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "token_refused")
        #expect(fake.sendRequests.isEmpty)
    }

    @Test(arguments: [
        (33100, AttemptOutcome.permanent), (33000, .permanent), (33006, .permanent), (33102, .permanent), (33300, .permanent),
        (33301, .permanent), (33500, .retryable), (33504, .retryable),
    ])
    func classifiesResultErrorCodes(code: Int, expected: AttemptOutcome) async throws {
        let fake = try await FakeMarketingCloud()
        fake.script.enqueue(FakeMarketingCloud.createResponse(statusCode: "Error", message: "scripted", errorCode: code))
        let response = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { await send($0, try message()) }
        await fake.server.shutdown()
        #expect(response.outcome == expected)
        #expect(response.code == String(code))
        #expect(response.message == "scripted")
    }

    @Test func faultsAreClassifiedByTheirCode() async throws {
        let fake = try await FakeMarketingCloud()
        fake.script.enqueue(Self.fault("soap:Server", "Unplanned Outage"))
        fake.script.enqueue(Self.fault("soap:Client", "Server did not recognize the value of HTTP Header SOAPAction: Test."))
        let (server, client) = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { provider in
            (await send(provider, try message()), await send(provider, try message()))
        }
        await fake.server.shutdown()
        #expect(server.outcome == .retryable)
        #expect(server.message == "Unplanned Outage")
        #expect(client.outcome == .permanent)
    }

    static func fault(_ code: String, _ text: String) -> FakeHTTPServer.Reply {
        .xml(
            500,
            """
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>\(code)</faultcode>\
            <faultstring>\(text)</faultstring><detail/></soap:Fault></soap:Body></soap:Envelope>
            """
        )
    }

    /// Each comes with a 200, so the provider most likely took the message: ambiguous, never read.
    @Test(arguments: HostileXML.allCases)
    func hostileAnswersAreAmbiguousAndUnread(_ hostile: HostileXML) async throws {
        let fake = try await FakeMarketingCloud()
        fake.script.enqueue(hostile.reply)
        let response = try await withProvider(type: "sfmc-soap", settings: settings(fake)) { await send($0, try message(), timeout: .seconds(20)) }
        await fake.server.shutdown()
        #expect(response.outcome == .ambiguous)
        #expect(response.providerMessageID == nil)
        #expect(response.code == hostile.expectedCode)
        #expect(!(response.message ?? "").contains("root:"))
    }

    @Test func restSendsJSONWithTheBearerTokenAndRefreshesOn401() async throws {
        let fake = try await FakeMarketingCloud()
        let settings = "subdomain: mc\nclient_id: \(fake.clientID)\nclient_secret: \(fake.clientSecret)\nmessage_id: MzA6Nzg6MA\nkeyword: JOINSMS\nbase_url: \(fake.server.baseURL)"
        try await withProvider(type: "sfmc-rest", settings: settings) { provider in
            let first = await send(provider, try message(text: "code \"1\" & more"))
            #expect(first.outcome == .accepted)
            #expect(first.providerMessageID?.hasPrefix("c21NCNSDN2sMMWM2miosdjEREsdf") == true)
            fake.revokeTokens()
            let sent = try await send(provider, message())
            #expect(sent.outcome == .accepted)
        }
        await fake.server.shutdown()
        #expect(fake.tokenRequests.count == 2)
        let request = try #require(fake.sendRequests.first)
        #expect(request.path == "/sms/v1/messageContact/MzA6Nzg6MA/send")
        #expect(request.header("Authorization") == "Bearer tok-1")
        #expect(request.header("Content-Type") == "application/json")
        let body = try #require(request.json)
        #expect(body["mobileNumbers"] as? [String] == ["447700900123"])
        #expect(body["messageText"] as? String == "code \"1\" & more")
        #expect(body["keyword"] as? String == "JOINSMS")
        #expect(body["Subscribe"] as? Bool == true)
        #expect(body["Override"] as? Bool == true)
        // 3 sends: the first, the one refused with the revoked token, and its retry.
        #expect(fake.sendRequests.count == 3)
    }
}

/// Answers no provider should have any of processed.
enum HostileXML: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case entityBomb, externalEntity, fiftyMegabytes

    var testDescription: String { rawValue }

    var reply: FakeHTTPServer.Reply {
        switch self {
        case .entityBomb:
            let entities = (1...9).map { "<!ENTITY lol\($0) \"&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);&lol\($0 - 1);\">" }
            return .xml(
                200,
                """
                <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">\(entities.joined())]>\
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>\
                <CreateResponse xmlns="http://exacttarget.com/wsdl/partnerAPI"><Results><StatusCode>OK</StatusCode><StatusMessage>&lol9;</StatusMessage></Results>\
                <RequestID>bomb</RequestID><OverallStatus>OK</OverallStatus></CreateResponse></soap:Body></soap:Envelope>
                """
            )
        case .externalEntity:
            return .xml(
                200,
                """
                <?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>\
                <CreateResponse xmlns="http://exacttarget.com/wsdl/partnerAPI"><Results><StatusCode>OK</StatusCode><StatusMessage>&xxe;</StatusMessage></Results>\
                <RequestID>xxe</RequestID><OverallStatus>OK</OverallStatus></CreateResponse></soap:Body></soap:Envelope>
                """
            )
        case .fiftyMegabytes:
            let head = Array(#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>"#.utf8)
            return .respond(status: 200, headers: [("Content-Type", "text/xml")], body: head + [UInt8](repeating: 0x61, count: 50 * 1024 * 1024))
        }
    }

    var expectedCode: String {
        self == .fiftyMegabytes ? "response_too_large" : "invalid_response"
    }
}

/// Validates what we send against our schema of the Marketing Cloud types we send
/// (`Schemas/sfmc-create-request.xsd`, written from the partner API WSDL's facts), with xmllint.
enum XSDValidation {
    static let schemaFile = repositoryPath("Tests/SwitchboardProvidersTests/Schemas/sfmc-create-request.xsd")

    /// Checks that the envelope's `CreateRequest` validates. Fails (never skips) when xmllint is
    /// missing: `scripts/setup` installs it.
    static func validateCreateRequest(envelope: String) async throws {
        let start = try #require(envelope.range(of: "<CreateRequest"))
        let end = try #require(envelope.range(of: "</CreateRequest>"))
        // The body's payload on its own; xsi is declared on the envelope, so declare it here too.
        let payload = String(envelope[start.lowerBound..<end.upperBound]).replacingOccurrences(
            of: "<CreateRequest ", with: #"<CreateRequest xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" "#
        )
        let verdict = try await check(payload)
        #expect(verdict.valid, "xmllint: \(verdict.said)")
        #expect(verdict.said.contains("validates"))
    }

    /// What xmllint says of `payload` (a whole `CreateRequest` document) against the schema.
    static func check(_ payload: String) async throws -> (valid: Bool, said: String) {
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let tool = try #require(xmllint, "xmllint is missing: run scripts/setup (installs libxml2-utils)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-xsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let payloadFile = folder.appendingPathComponent("create.xml")
        try payload.write(to: payloadFile, atomically: true, encoding: .utf8)
        let run = try await runExternalTool(tool, ["--noout", "--nonet", "--schema", schemaFile, payloadFile.path])
        return (run.status == 0, run.output)
    }

}
