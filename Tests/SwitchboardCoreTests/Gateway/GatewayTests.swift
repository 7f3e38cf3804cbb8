import Foundation
import Logging
import Testing
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport

@Suite("Gateway.send")
struct GatewayTests {
    static let yaml = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
            web_otp_domain: login.example.com
            countries: { deny: [DE] }
        providers:
          primary: { type: default }
          backup: { type: default }
        routes:
          - { name: na, match: { countries: [US, CA, PR, VI, GU, AS, MP] }, sender: "+14155550100", providers: [backup, primary] }
          - { name: gb-otp, match: { countries: [GB], kinds: [otp] }, sender: DemoOTP, providers: [primary] }
          - { name: rest, sender: Demo, providers: [primary, backup] }
        """

    struct Fixture {
        let gateway: Gateway
        let store: any MessageStore & InboxStore
        let primary: ScriptedProvider
        let backup: ScriptedProvider
    }

    func fixture(primary: ProviderResponse = ProviderResponse(outcome: .accepted, providerMessageID: "p-1"), yaml: String = Self.yaml) throws -> Fixture {
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:])
        let store = MemoryStore()
        let primary = ScriptedProvider("primary", [.answer(primary)])
        let backup = ScriptedProvider("backup", [.answer(ProviderResponse(outcome: .accepted, providerMessageID: "b-1"))])
        // Alarms not run: these providers answer at once, and no cut-off may race them on a starved runner.
        let dispatcher = FailoverDispatcher(providers: [primary, backup], attemptTimeout: .seconds(1), breakers: CircuitBreakerRegistry(settings: BreakerSettings()), alarms: Alarms())
        return Fixture(gateway: Gateway(config: config, dispatcher: dispatcher, store: store), store: store, primary: primary, backup: backup)
    }

    let logger = Logger(label: "test")

    @Test("a send is routed, rendered, handed to the first provider and recorded")
    func routedAndRecorded() async throws {
        let f = try fixture()
        let result = try await f.gateway.send(SendRequest(to: "+33 6 12 34 56 78", app: "demo", kind: .transactional, content: .text("Bonjour")), logger: logger)
        #expect(result.route == "rest")
        #expect(result.country == "FR")
        #expect(result.sender == "Demo")
        #expect(result.provider == "primary")
        #expect(result.providerMessageID == "p-1")
        #expect(result.encoding == .gsm7)
        #expect(result.segments == 1)
        #expect(f.primary.calls.map(\.text) == ["Bonjour"])
        #expect(f.primary.calls.first?.to.e164 == "+33612345678")
        #expect(f.backup.calls.isEmpty)
        let record = try #require(try await f.store.message(id: result.messageID))
        #expect(record.status == .accepted)
        #expect(record.route == "rest")
        #expect(record.attempts.map(\.provider) == ["primary"])
        #expect(record.providerMessageID == "p-1")
    }

    @Test("the chain's first provider is used: North America goes to backup")
    func firstOfChain() async throws {
        let f = try fixture()
        let result = try await f.gateway.send(SendRequest(to: "+1 416 555 0100", app: "demo", kind: .transactional, content: .text("Hi")), logger: logger)
        #expect(result.country == "CA")
        #expect(result.provider == "backup")
        #expect(result.sender == "+14155550100")
    }

    @Test("an OTP uses the app's message with the WebOTP line, and the log masks the code")
    func otpExtrasAndMasking() async throws {
        let f = try fixture()
        let result = try await f.gateway.send(SendRequest(to: "+447700900123", app: "demo", kind: .otp, content: .template(otp: "123456", minutes: nil)), logger: logger)
        #expect(result.route == "gb-otp")
        #expect(f.primary.calls.first?.text == "123456 is your Demo code\n@login.example.com #123456")
        let record = try #require(try await f.store.message(id: result.messageID))
        #expect(!record.loggedText.contains("123456"))
        #expect(record.loggedText.contains("******"))
    }

    @Test("a failed delivery is recorded as failed with its attempt, and reported")
    func failedDelivery() async throws {
        let f = try fixture(primary: ProviderResponse(outcome: .permanent, code: "21211", message: "invalid To number"))
        do {
            _ = try await f.gateway.send(SendRequest(to: "+447700900123", app: "demo", kind: .transactional, content: .text("Hi")), logger: logger)
            Issue.record("the send should have failed")
        } catch SendError.deliveryFailed(let record) {
            #expect(record.status == .failed)
            #expect(record.attempts.map(\.outcome) == [.permanent])
            #expect(record.attempts.first?.providerCode == "21211")
            let stored = try #require(try await f.store.message(id: record.id))
            #expect(stored.status == .failed)
            #expect(stored.attempts.count == 1)
        }
    }

    @Test("refusals happen before anything is sent or recorded, each with its own reason")
    func refusals() async throws {
        let f = try fixture()
        let denied = await #expect(throws: SendError.self) {
            try await f.gateway.send(SendRequest(to: "+49 30 123456", app: "demo", kind: .transactional, content: .text("Hallo")), logger: logger)
        }
        expectRefusal(denied) { if case .countryNotAllowed(app: "demo", country: "DE") = $0 { true } else { false } }

        let unknownApp = await #expect(throws: SendError.self) {
            try await f.gateway.send(SendRequest(to: "+447700900123", app: "other", kind: .transactional, content: .text("x")), logger: logger)
        }
        expectRefusal(unknownApp) { if case .unknownApp("other", known: ["demo"]) = $0 { true } else { false } }

        let sender = await #expect(throws: SendError.self) {
            try await f.gateway.send(SendRequest(to: "+14155550100", app: "demo", kind: .transactional, content: .text("x"), sender: .alphanumeric("ACME")), logger: logger)
        }
        expectRefusal(sender) { if case .senderRefused(sender: "ACME", country: "US") = $0 { true } else { false } }

        let noCode = await #expect(throws: SendError.self) {
            try await f.gateway.send(SendRequest(to: "+447700900123", app: "demo", kind: .otp, content: .template(otp: nil, minutes: nil)), logger: logger)
        }
        expectRefusal(noCode) { if case .renderFailed(.missingValue(.otp)) = $0 { true } else { false } }

        let noTemplate = await #expect(throws: SendError.self) {
            try await f.gateway.send(SendRequest(to: "+447700900123", app: "demo", kind: .transactional, content: .template(otp: nil, minutes: nil)), logger: logger)
        }
        expectRefusal(noTemplate) { if case .noTemplate(route: "rest", kind: .transactional) = $0 { true } else { false } }

        #expect(f.primary.calls.isEmpty && f.backup.calls.isEmpty)
        #expect(try await f.store.recentMessages(to: nil, limit: 10).isEmpty)
    }

    /// Records a failure unless `refusal` is the one `matches` describes.
    private func expectRefusal(_ refusal: SendError?, sourceLocation: SourceLocation = #_sourceLocation, _ matches: (SendError) -> Bool) {
        #expect(refusal.map(matches) == true, "refused with \(refusal.map { "\($0)" } ?? "nothing")", sourceLocation: sourceLocation)
    }

    @Test("without a catch-all, an unmatched number has no route")
    func noRoute() async throws {
        let yaml = Self.yaml.replacingOccurrences(of: "  - { name: rest, sender: Demo, providers: [primary, backup] }", with: "")
        let f = try fixture(yaml: yaml)
        do {
            _ = try await f.gateway.send(SendRequest(to: "+33612345678", app: "demo", kind: .transactional, content: .text("x")), logger: logger)
            Issue.record("the send should have failed")
        } catch SendError.noRoute(let number, let country) {
            #expect(number == "+33612345678")
            #expect(country == "FR")
        }
    }
}
