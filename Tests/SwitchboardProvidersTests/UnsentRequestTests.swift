import Foundation
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// README, "Providers": the shared client follows no redirect, a DNS failure sends nothing, and a
/// request with a placeholder that has no value is never sent.
@Suite("requests that reach no provider", .timeLimit(.minutes(3)))
struct UnsentRequestTests {
    @Test("a 3xx is not followed: the target sees nothing, and mosaic-gateway's otherwise makes it retryable", arguments: [301, 302, 303, 307, 308])
    func redirectIsNotFollowed(status: Int) async throws {
        // Had the client followed it, this server's 200 would have made the send accepted.
        let elsewhere = try await FakeHTTPServer { _ in .respond(status: 200) }
        let gateway = try await FakeMosaicGateway()
        gateway.script.enqueue(.respond(status: status, headers: [("Location", elsewhere.baseURL + FakeMosaicGateway.path)]))
        let response = try await withProvider(type: "mosaic-gateway", settings: "api_key: \(gateway.apiKey)\nbase_url: \(gateway.endpoint)") {
            await send($0, try message())
        }
        await gateway.server.shutdown()
        await elsewhere.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "http_\(status)")
        #expect(response.providerMessageID == nil)
        #expect(gateway.requests.count == 1)
        #expect(elsewhere.requests.isEmpty)
    }

    @Test("a host that does not resolve is retryable, not sent")
    func dnsFailure() async throws {
        // `.invalid` never resolves (RFC 6761).
        let response = try await withProvider(type: "mosaic-gateway", settings: "api_key: gateway-key-0123456789\nbase_url: http://sms-gateway.switchboard.invalid/send-sms") {
            await send($0, try message())
        }
        #expect(response.outcome == .retryable)
        #expect(response.code == "not_sent")
        #expect(response.message?.hasPrefix("the request could not be sent: ") == true, "\(response.message ?? "")")
    }

    /// A made-up type whose form sends an optional setting that has no default.
    static let definition = """
        summary: Example SMS
        settings:
          key: { required: true }
          channel: { description: "optional, no default" }
        auth: { type: header, name: X-Key, value: "{settings.key}" }
        request:
          url: "{base_url}/send"
          form: { to: "{message.to}", text: "{message.text}", channel: "{settings.channel}" }
        response: { fields: {} }
        classification: { rules: [{ if: { http_status: [2xx] }, then: accepted }] }
        """

    func catalog() throws -> (catalog: ProviderCatalog, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.definition.write(to: folder.appendingPathComponent("channel-sms.yaml"), atomically: true, encoding: .utf8)
        return (try ProviderCatalog.load(directory: folder.path), folder)
    }

    @Test("a setting the request needs and the instance leaves unset: retryable, nothing sent, logged naming the setting")
    func unsetSetting() async throws {
        let (catalog, folder) = try catalog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await FakeHTTPServer { _ in .respond(status: 204) }
        let records = LogRecords()
        let response = try await withProvider(type: "channel-sms", settings: "key: secret-key-0123\nbase_url: \(server.baseURL)", catalog: catalog) {
            await $0.send(try message(), deadline: .now + .seconds(30), logger: records.logger(label: "test"))
        }
        await server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "request_unbuildable")
        #expect(response.message == "the request needs {settings.channel}, which has no value")
        #expect(server.requests.isEmpty)
        let logged = records.all.filter { $0.message == "provider request cannot be built" }
        #expect(logged.map(\.level) == [.info])
        #expect(logged.first?.metadata["sb.provider"] == "p")
        #expect(logged.first?.metadata["sb.problem"]?.contains("settings.channel") == true)
        #expect(records.lines.allSatisfy { !$0.contains("secret-key-0123") })
    }

    @Test("the same type with the setting given sends it")
    func settingGiven() async throws {
        let (catalog, folder) = try catalog()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await FakeHTTPServer { _ in .respond(status: 204) }
        let response = try await withProvider(type: "channel-sms", settings: "key: secret-key-0123\nchannel: promo\nbase_url: \(server.baseURL)", catalog: catalog) {
            await send($0, try message())
        }
        await server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(server.requests.map { $0.formField("channel") } == ["promo"])
        #expect(server.requests.map { $0.header("X-Key") } == ["secret-key-0123"])
    }
}
