import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The admin API: its own credentials, the effective configuration, pausing providers.
@Suite("Admin API", .timeLimit(.minutes(3)))
struct AdminAPITests {
    static let yaml = """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        admin:
          tokens: [\(ConfigFolder.adminToken)]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
            clients: [{ id: demo-backend, secret: client-secret-value-1 }]
        providers:
          alpha: { type: default }
          beta: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [alpha, beta] }
        delivery:
          breaker: { failures: 1, open_for: 1h }
        """

    @Test("no token, a wrong one, an API key or X-API-Key: 401; the admin token: 200")
    func adminCredentials() async throws {
        let folder = try ConfigFolder(Self.yaml)
        defer { folder.remove() }
        try await folder.withApp { client, _ in
            let cases: [(HTTPFields, String)] = [
                ([:], "this endpoint needs an admin token"),
                ([.authorization: "Bearer wrong-token-0123456789"], "the admin token is not valid"),
                ([.authorization: "Bearer test-api-key-1"], "the admin token is not valid (an API key is not an admin token)"),
                ([HTTPField.Name("X-API-Key")!: ConfigFolder.adminToken], "this endpoint needs an admin token"),
            ]
            for (headers, message) in cases {
                let refused = try await client.execute(uri: "/admin/providers", method: .get, headers: headers)
                #expect(refused.status == .unauthorized)
                let error = try #require(try jsonObject(refused.body)["error"] as? [String: Any])
                #expect(error["code"] as? String == "unauthorized")
                #expect((error["message"] as? String)?.hasPrefix(message) == true)
            }
            let reload = try await client.execute(uri: "/admin/reload", method: .post, headers: [.authorization: "Bearer test-api-key-1"])
            #expect(reload.status == .unauthorized)
            var traced = ConfigFolder.adminAuth
            traced[HTTPField.Name("X-Request-ID")!] = "support-ticket-42"
            let allowed = try await client.execute(uri: "/admin/providers", method: .get, headers: traced)
            #expect(allowed.status == .ok)
            // The admin API's answers carry the request id as the other APIs' do.
            #expect(allowed.headers[HTTPField.Name("X-Request-ID")!] == "support-ticket-42")
            // An admin token is no API key either.
            let send = try await client.execute(
                uri: "/v1/messages", method: .post, headers: [.authorization: "Bearer \(ConfigFolder.adminToken)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"to": "+447700900123", "app": "demo", "text": "hi"}"#)
            )
            #expect(send.status == .unauthorized)
        }
    }

    @Test("without admin.tokens the admin API is off: 404 admin_disabled, whatever the credential")
    func disabledWithoutTokens() async throws {
        let folder = try ConfigFolder(Self.yaml.replacingOccurrences(of: "  tokens: [\(ConfigFolder.adminToken)]\n", with: ""))
        defer { folder.remove() }
        try await folder.withApp { client, _ in
            let answer = try await client.execute(uri: "/admin/reload", method: .post, headers: ConfigFolder.adminAuth)
            #expect(answer.status == .notFound)
            let error = try #require(try jsonObject(answer.body)["error"] as? [String: Any])
            #expect(error["code"] as? String == "admin_disabled")
        }
    }

    @Test("pause: sends go to the next provider and the skip says why; resume takes it back")
    func pauseAndResume() async throws {
        let folder = try ConfigFolder(Self.yaml)
        defer { folder.remove() }
        try await folder.withApp { client, _ in
            let paused = try await client.execute(uri: "/admin/providers/alpha/pause", method: .post, headers: ConfigFolder.adminAuth)
            #expect(paused.status == .ok)
            #expect(try jsonObject(paused.body)["paused"] as? Bool == true)

            let sent = try await client.sendText()
            #expect(sent.status == .created)
            let record = try jsonObject(sent.body)
            #expect(record["provider"] as? String == "beta")
            let attempts = try #require(record["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["provider"] as? String } == ["alpha", "beta"])
            #expect(attempts.first?["outcome"] as? String == "skipped")
            #expect(attempts.first?["provider_code"] as? String == "paused")

            let listed = try await client.execute(uri: "/admin/providers", method: .get, headers: ConfigFolder.adminAuth)
            let providers = try #require(try jsonObject(listed.body)["providers"] as? [[String: Any]])
            #expect(providers.map { $0["name"] as? String } == ["alpha", "beta"])
            #expect(providers.map { $0["paused"] as? Bool } == [true, false])

            // A reload that leaves alpha as it was keeps it paused.
            try folder.write(Self.yaml.replacingOccurrences(of: "sender: Demo", with: "sender: Demo2"))
            let reload1 = try await client.reload()
            #expect(reload1.status == .ok)
            let afterReload = try await client.sendText()
            #expect(try jsonObject(afterReload.body)["provider"] as? String == "beta")

            let resumed = try await client.execute(uri: "/admin/providers/alpha/resume", method: .post, headers: ConfigFolder.adminAuth)
            #expect(resumed.status == .ok)
            let again = try await client.sendText()
            #expect(try jsonObject(again.body)["provider"] as? String == "alpha")

            let unknown = try await client.execute(uri: "/admin/providers/gamma/pause", method: .post, headers: ConfigFolder.adminAuth)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a reload keeps the breaker of a provider whose settings did not change, and resets a changed one's")
    func breakerCarriesOver() async throws {
        let folder = try ConfigFolder(Self.yaml)
        defer { folder.remove() }
        let failing = ScriptedProvider("alpha", [.answer(ProviderResponse(outcome: .retryable, code: "503", message: "Service Unavailable"))])
        let providers: [any SMSProvider] = [failing, ScriptedProvider.accepting("beta")]
        try await folder.withApp(providers: providers) { client, _ in
            // alpha fails once: its breaker opens for an hour.
            let first = try await client.sendText()
            #expect(try jsonObject(first.body)["provider"] as? String == "beta")
            #expect(failing.callCount == 1)

            // Only beta's settings change: alpha's breaker stays open.
            try folder.write(Self.yaml.replacingOccurrences(of: "beta: { type: default }", with: "beta: { type: default, max_in_flight: 5 }"))
            let reload2 = try await client.reload()
            #expect(reload2.status == .ok)
            let second = try await client.sendText()
            let attempts = try #require(try jsonObject(second.body)["attempts"] as? [[String: Any]])
            #expect(attempts.first?["provider_code"] as? String == "breaker_open")
            #expect(failing.callCount == 1)

            // alpha's own settings change: it starts afresh and is tried again.
            try folder.write(Self.yaml.replacingOccurrences(of: "alpha: { type: default }", with: "alpha: { type: default, max_in_flight: 5 }"))
            let reload3 = try await client.reload()
            #expect(reload3.status == .ok)
            _ = try await client.sendText()
            #expect(failing.callCount == 2)
        }
    }

    @Test("GET /admin/config shows the configuration in force with every secret redacted, its hash and files")
    func configIsRedacted() async throws {
        let folder = try ConfigFolder(Self.yaml)
        defer { folder.remove() }
        try await folder.withApp { client, _ in
            let answer = try await client.execute(uri: "/admin/config", method: .get, headers: ConfigFolder.adminAuth)
            #expect(answer.status == .ok)
            let text = String(buffer: answer.body)
            for secret in ["test-api-key-1", ConfigFolder.adminToken, "client-secret-value-1"] {
                #expect(!text.contains(secret), "\(secret) is shown")
            }
            let body = try jsonObject(answer.body)
            let hash = try #require(body["hash"] as? String)
            #expect(hash.count == 64)
            #expect(body["files"] as? [String] == [folder.configPath])
            let config = try #require(body["config"] as? [String: Any])
            let server = try #require(config["server"] as? [String: Any])
            #expect(server["api_keys"] as? [[String: String]] == [["name": "test", "key": "redacted"]])

            // An edit changes the hash; a reload answers the new one and the config shows it.
            try folder.write(Self.yaml + "\n# edited\n")
            let reloadAnswer = try await client.reload()
            let reloaded = try jsonObject(reloadAnswer.body)
            let newHash = try #require(reloaded["hash"] as? String)
            #expect(newHash != hash)
            #expect(reloaded["summary"] as? String == "no changes")
            let shownAnswer = try await client.execute(uri: "/admin/config", method: .get, headers: ConfigFolder.adminAuth)
            let shown = try jsonObject(shownAnswer.body)
            #expect(shown["hash"] as? String == newHash)
        }
    }
}
