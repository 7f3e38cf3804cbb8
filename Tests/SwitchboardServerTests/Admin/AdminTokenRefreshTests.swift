import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// `token_refresh_at` of `GET /admin/providers`: when an OAuth2 provider's cached token is replaced.
@Suite("Admin API: OAuth2 token refresh time", .timeLimit(.minutes(3)))
struct AdminTokenRefreshTests {
    static func yaml(_ cloud: FakeMarketingCloud) -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        admin:
          tokens: [\(ConfigFolder.adminToken)]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          sfmc:
            type: sfmc-soap
            subdomain: mc-test
            client_id: \(cloud.clientID)
            client_secret: \(cloud.clientSecret)
            definition_key: OTP_SMS_TSD
            base_url: \(cloud.server.baseURL)
          alpha: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [sfmc] }
        # Room for a busy machine: the token request and the send are real HTTP exchanges.
        delivery: { deadline: 60s, attempt_timeout: 30s }
        """
    }

    /// Each provider's `token_refresh_at`, by name (`NSNull` when absent).
    static func refreshTimes(_ client: any TestClientProtocol) async throws -> [String: Any] {
        let listed = try await client.execute(uri: "/admin/providers", method: .get, headers: ConfigFolder.adminAuth)
        #expect(listed.status == .ok)
        let providers = try #require(try jsonObject(listed.body)["providers"] as? [[String: Any]])
        var times: [String: Any] = [:]
        for provider in providers {
            times[try #require(provider["name"] as? String)] = provider["token_refresh_at"] ?? NSNull()
        }
        return times
    }

    @Test("absent before the first token and for providers without OAuth2; after a send, the lifetime less refresh_before")
    func refreshTime() async throws {
        let cloud = try await FakeMarketingCloud()
        cloud.setTokenLifetime(seconds: 1200)
        let folder = try ConfigFolder(Self.yaml(cloud))
        defer { folder.remove() }
        let definitions = folder.folder.appendingPathComponent("providers")
        try FileManager.default.createDirectory(at: definitions, withIntermediateDirectories: true)
        for name in ["sfmc-soap.yaml", "sfmc-soap.envelope.xml"] {
            try FileManager.default.copyItem(atPath: repositoryPath("providers/\(name)"), toPath: definitions.appendingPathComponent(name).path)
        }
        // A clock that stands still: the token's refresh time is exactly its lifetime less 5m from now.
        let clock = ManualClock()
        try await folder.withApp(clock: clock) { client, _ in
            let before = try await Self.refreshTimes(client)
            #expect(before["sfmc"] is NSNull)
            #expect(before["alpha"] is NSNull)

            let sent = try await client.sendText()
            #expect(sent.status == .created)
            #expect(cloud.tokenRequests.count == 1)

            let after = try await Self.refreshTimes(client)
            let expected = ISO8601DateFormatter().string(from: clock.date.addingTimeInterval(1200 - 300))
            #expect(after["sfmc"] as? String == expected)
            #expect(after["alpha"] is NSNull)
        }
        #expect(cloud.violations.recorded.isEmpty)
        await cloud.server.shutdown()
    }
}
