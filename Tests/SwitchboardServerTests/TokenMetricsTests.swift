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

/// OAuth2 token requests of a provider defined in `providers/` reach `/metrics`, by provider and outcome.
@Suite("Token metrics", .timeLimit(.minutes(3)))
struct TokenMetricsTests {
    @Test("two sends through an OAuth2 provider make one token request, counted as ok under the provider's name")
    func tokenRequestsOnThePage() async throws {
        let fake = try await FakeMarketingCloud()
        let yaml = """
            server:
              api_keys: [{ name: test, key: test-api-key-1 }]
            admin:
              tokens: [admin-token-0123456789]
            apps:
              demo: { name: Demo, message: "{otp} is your {app} code" }
            providers:
              cloud:
                type: sfmc-soap
                subdomain: mc-test
                client_id: \(fake.clientID)
                client_secret: \(fake.clientSecret)
                definition_key: OTP_SMS_TSD
                base_url: \(fake.server.baseURL)
            routes:
              - { name: uk, match: { countries: [GB] }, sender: ACME, providers: [cloud] }
            # The whole suite shares two cores, where a first send over loopback has taken seconds.
            delivery: { deadline: 60s, attempt_timeout: 30s }
            """
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog), logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]
            for _ in 0..<2 {
                let body = ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "Your parcel arrives today"}"#)
                let sent = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: body)
                #expect(sent.status == .created, "\(String(buffer: sent.body))")
            }
            let scraped = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer admin-token-0123456789"])
            #expect(scraped.status == .ok)
            let page = PrometheusPage(String(buffer: scraped.body))
            #expect(page.value("switchboard_provider_token_refreshes_total", ["provider": "cloud", "outcome": "ok"]) == 1)
            #expect(page.sum("switchboard_provider_token_refreshes_total") == 1)
        }
        await fake.server.shutdown()
        #expect(fake.tokenRequests.count == 1)
    }
}
