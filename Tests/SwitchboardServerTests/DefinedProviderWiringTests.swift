import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite("Defined providers in the HTTP API")
struct DefinedProviderWiringTests {
    @Test("a message sent over HTTP reaches a provider defined in providers/")
    func sendsThroughTwilioDefinition() async throws {
        let fake = try await FakeTwilio()
        let yaml = """
            server:
              api_keys: [{ name: test, key: test-api-key-1 }]
            apps:
              demo: { name: Demo, message: "{otp} is your {app} code" }
            providers:
              twilio:
                type: twilio
                account_sid: \(fake.accountSID)
                auth_token: ${TWILIO_TOKEN}
                base_url: \(fake.server.baseURL)
            routes:
              - { name: all, sender: "+14155550100", providers: [twilio] }
            # The whole suite shares two cores, where a first send over loopback has taken seconds.
            delivery: { deadline: 60s, attempt_timeout: 30s }
            """
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: ["TWILIO_TOKEN": fake.authToken], providerTypes: catalog)
        let store = MemoryStore()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]
            let body = #"{"to": "+1 415 555 0123", "app": "demo", "text": "Hello & welcome"}"#
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(sent.status == .created, "\(String(buffer: sent.body))")
            let message = try #require(try JSONSerialization.jsonObject(with: Data(sent.body.readableBytesView)) as? [String: Any])
            #expect(message["provider"] as? String == "twilio")
            #expect(message["status"] as? String == "accepted")
        }
        await fake.server.shutdown()
        let request = try #require(fake.requests.first)
        #expect(request.formField("To") == "+14155550123")
        #expect(request.formField("From") == "+14155550100")
        #expect(request.formField("Body") == "Hello & welcome")
    }

    @Test("a retryable Twilio answer fails over to a Mosaic-style gateway; a permanent one stops the chain")
    func failsOverBetweenDefinedProviders() async throws {
        let twilio = try await FakeTwilio()
        let gateway = try await FakeMosaicGateway()
        twilio.script.enqueue(.json(503, #"{"code": 20500, "message": "Service Unavailable", "status": 503}"#))
        twilio.script.enqueue(.json(400, #"{"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}"#))
        let yaml = """
            server:
              api_keys: [{ name: test, key: test-api-key-1 }]
            apps:
              demo: { name: Demo, message: "{otp} is your {app} code" }
            providers:
              twilio: { type: twilio, account_sid: \(twilio.accountSID), auth_token: \(twilio.authToken), base_url: \(twilio.server.baseURL) }
              gateway: { type: mosaic-gateway, api_key: \(gateway.apiKey), base_url: \(gateway.endpoint) }
            routes:
              - { name: all, sender: "+14155550100", providers: [twilio, gateway] }
            """
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]
            let body = #"{"to": "+1 415 555 0123", "app": "demo", "text": "Hello"}"#
            let first = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .created)
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(first.body.readableBytesView)) as? [String: Any])
            #expect(sent["provider"] as? String == "gateway")
            let second = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(second.status == .badGateway)
        }
        await twilio.server.shutdown()
        await gateway.server.shutdown()
        #expect(twilio.requests.count == 2)
        // Only the first message reached the gateway: 21211 is permanent, so the chain stopped.
        #expect(gateway.requests.count == 1)
        #expect(gateway.requests.first?.json?["phone_number"] as? String == "+14155550123")
    }
}
