import Foundation
import SwitchboardCore
import SwitchboardProviders
import Testing

@Suite("provider base URL")
struct BaseURLTests {
    @Test("a base_url that cannot be built from the settings is reported on every send, with its reason")
    func unbuildableBaseURLSaysWhy() async throws {
        let definition = """
            summary: Example SMS
            settings:
              host: { default: "not-an-address" }
            base_url: "{settings.host}/api"
            request:
              url: "{base_url}/messages"
              form: { to: "{message.to}", text: "{message.text}" }
            response:
              fields: { message_id: /id }
            classification:
              otherwise: retryable
            """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try definition.write(to: folder.appendingPathComponent("example-sms.yaml"), atomically: true, encoding: .utf8)
        let catalog = try ProviderCatalog.load(directory: folder.path)
        let response = try await withProvider(type: "example-sms", settings: "", catalog: catalog) { provider in
            await send(provider, try message())
        }
        #expect(response.outcome == .retryable)
        #expect(response.code == "request_unbuildable")
        #expect(response.message?.contains("base URL cannot be built") == true)
        #expect(response.message?.contains("{settings.host}") == true)
    }
}
