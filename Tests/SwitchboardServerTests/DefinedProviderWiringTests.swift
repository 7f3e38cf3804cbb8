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
            """
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("providers").path
        let catalog = try ProviderCatalog.load(directory: folder)
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: ["TWILIO_TOKEN": fake.authToken], providerTypes: catalog)
        let store = MemoryStore()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]
            let body = #"{"to": "+1 415 555 0123", "app": "demo", "text": "Hello & welcome"}"#
            let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(sent.status == .created)
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
}
