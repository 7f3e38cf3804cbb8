import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// What the console page reads, on the admin API with the admin token: a message's attempts, the
/// inbox, a route's explanation; the page itself and its headers; `/metrics` for operators only.
@Suite("Console and its admin endpoints", .timeLimit(.minutes(3)))
struct ConsoleAPITests {
    static let yaml = AdminAPITests.yaml
    static let apiKey: HTTPFields = [.authorization: "Bearer test-api-key-1"]

    func withApp(_ yaml: String = Self.yaml, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let folder = try ConfigFolder(yaml)
        defer { folder.remove() }
        try await folder.withApp { client, _ in try await body(client) }
    }

    func errorCode(_ answer: TestResponse) throws -> String? {
        try #require(try jsonObject(answer.body)["error"] as? [String: Any])["code"] as? String
    }

    @Test("the page, its script and its style: no credential needed, a strict policy, no framing, no sniffing")
    func pageHeaders() async throws {
        try await withApp { client in
            for (path, type) in [
                ("/console", "text/html; charset=utf-8"), ("/console/console.js", "text/javascript; charset=utf-8"),
                ("/console/console.css", "text/css; charset=utf-8"),
            ] {
                let answer = try await client.execute(uri: path, method: .get)
                #expect(answer.status == .ok, "\(path)")
                #expect(answer.headers[.contentType] == type, "\(path)")
                let policy = try #require(answer.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.contains("script-src 'self';") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"), "\(policy)")
                #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(answer.headers[.cacheControl] == "no-store")
            }
            let page = String(buffer: try await client.execute(uri: "/console", method: .get).body)
            #expect(page.contains(#"<script src="/console/console.js" defer></script>"#))
            // Every script is the file above: an inline one would break the page's own policy.
            #expect(page.components(separatedBy: "<script").count == 2)
            let script = String(buffer: try await client.execute(uri: "/console/console.js", method: .get).body)
            #expect(!script.contains("innerHTML") && !script.contains("insertAdjacentHTML") && !script.contains("document.write"))
            let unknown = try await client.execute(uri: "/console/other.js", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("GET /admin/messages/{id}: the message and its attempts with the admin token; 401 with an API key; 404 for an unknown id")
    func messageAttempts() async throws {
        try await withApp { client in
            let sent = try await client.sendText()
            #expect(sent.status == .created)
            let id = try #require(try jsonObject(sent.body)["id"] as? String)
            let withKey = try await client.execute(uri: "/admin/messages/\(id)", method: .get, headers: Self.apiKey)
            #expect(withKey.status == .unauthorized)
            let shown = try await client.execute(uri: "/admin/messages/\(id)", method: .get, headers: ConfigFolder.adminAuth)
            #expect(shown.status == .ok)
            let message = try jsonObject(shown.body)
            #expect(message["id"] as? String == id)
            #expect(message["route"] as? String == "everyone")
            let attempts = try #require(message["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["provider"] as? String } == ["alpha"])
            #expect(attempts.first?["outcome"] as? String == "accepted")
            let missing = try await client.execute(uri: "/admin/messages/01HZZZZZZZZZZZZZZZZZZZZZZZ", method: .get, headers: ConfigFolder.adminAuth)
            #expect(missing.status == .notFound)
            #expect(try errorCode(missing) == "not_found")
        }
    }

    @Test("GET /admin/inbox: what the default provider kept, with the admin token only")
    func inbox() async throws {
        try await withApp { client in
            #expect(try await client.sendText().status == .created)
            let withKey = try await client.execute(uri: "/admin/inbox", method: .get, headers: Self.apiKey)
            #expect(withKey.status == .unauthorized)
            let page = try await client.execute(uri: "/admin/inbox?after=0", method: .get, headers: ConfigFolder.adminAuth)
            #expect(page.status == .ok)
            let messages = try #require(try jsonObject(page.body)["messages"] as? [[String: Any]])
            #expect(messages.map { $0["text"] as? String } == ["Your parcel arrives today"])
            let bad = try await client.execute(uri: "/admin/inbox?after=-1", method: .get, headers: ConfigFolder.adminAuth)
            #expect(bad.status == .badRequest)
            #expect(try errorCode(bad) == "invalid_parameter")
        }
    }

    @Test("GET /admin/route: the rule that matched and why each one before it did not, from the configuration in force")
    func explainRoute() async throws {
        let yaml = Self.yaml.replacingOccurrences(
            of: "  - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [alpha, beta] }",
            with: """
                  - { name: uk-otp, match: { countries: [GB], kinds: [otp] }, sender: Codes, providers: [beta] }
                  - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [alpha, beta] }
                """
        )
        try await withApp(yaml) { client in
            let answer = try await client.execute(uri: "/admin/route?to=%2B447700900123&app=demo", method: .get, headers: ConfigFolder.adminAuth)
            #expect(answer.status == .ok)
            let body = try jsonObject(answer.body)
            #expect(body["calling_code"] as? Int == 44)
            let explanation = try #require(body["explanation"] as? [String: Any])
            #expect(explanation["number"] as? String == "+447700900123")
            #expect(explanation["kind"] as? String == "transactional")
            let skipped = try #require(explanation["skipped"] as? [[String: Any]])
            #expect(skipped.map { $0["name"] as? String } == ["uk-otp"])
            #expect((skipped.first?["reasons"] as? [String])?.count == 1)
            let matched = try #require(explanation["matched"] as? [String: Any])
            #expect(matched["name"] as? String == "everyone")
            #expect(matched["providers"] as? [String] == ["alpha", "beta"])

            let otp = try await client.execute(uri: "/admin/route?to=%2B447700900123&kind=otp", method: .get, headers: ConfigFolder.adminAuth)
            let otpMatch = try #require(try jsonObject(otp.body)["explanation"] as? [String: Any])["matched"] as? [String: Any]
            #expect(otpMatch?["name"] as? String == "uk-otp")

            let nowhere = try await client.execute(uri: "/admin/route?to=%2B14155550123", method: .get, headers: ConfigFolder.adminAuth)
            #expect(nowhere.status == .ok)
            let unmatched = try #require(try jsonObject(nowhere.body)["explanation"] as? [String: Any])
            #expect(unmatched["matched"] == nil)
            #expect((unmatched["skipped"] as? [Any])?.count == 2)

            let refusals: [(String, String)] = [
                ("/admin/route", "missing_parameter"), ("/admin/route?to=hello", "invalid_number"),
                ("/admin/route?to=%2B447700900123&kind=marketing", "invalid_parameter"), ("/admin/route?to=%2B447700900123&app=nope", "unknown_app"),
            ]
            for (uri, code) in refusals {
                let refused = try await client.execute(uri: uri, method: .get, headers: ConfigFolder.adminAuth)
                #expect(refused.status == .badRequest, "\(uri)")
                #expect(try errorCode(refused) == code, "\(uri)")
            }
            let withKey = try await client.execute(uri: "/admin/route?to=%2B447700900123", method: .get, headers: Self.apiKey)
            #expect(withKey.status == .unauthorized)
        }
    }

    @Test("GET /metrics needs the admin token: none, a wrong one or an API key is 401; without admin.tokens it is off (404)")
    func metricsForOperators() async throws {
        try await withApp { client in
            let cases: [(HTTPFields, String)] = [
                ([:], "this endpoint needs an admin token"), (Self.apiKey, "the admin token is not valid (an API key is not an admin token)"),
                ([.authorization: "Bearer wrong-token-0123456789"], "the admin token is not valid"),
            ]
            for (headers, message) in cases {
                let refused = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                #expect(refused.status == .unauthorized)
                let error = try #require(try jsonObject(refused.body)["error"] as? [String: Any])
                #expect((error["message"] as? String)?.hasPrefix(message) == true)
            }
            let page = try await client.execute(uri: "/metrics", method: .get, headers: ConfigFolder.adminAuth)
            #expect(page.status == .ok)
            #expect(PrometheusPage(String(buffer: page.body)).value("switchboard_provider_breaker_state", ["provider": "alpha"]) == 0)
        }
        try await withApp(Self.yaml.replacingOccurrences(of: "  tokens: [\(ConfigFolder.adminToken)]\n", with: "")) { client in
            let off = try await client.execute(uri: "/metrics", method: .get, headers: Self.apiKey)
            #expect(off.status == .notFound)
            #expect(try errorCode(off) == "admin_disabled")
        }
    }
}
