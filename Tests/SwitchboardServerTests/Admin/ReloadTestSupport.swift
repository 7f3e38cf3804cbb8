import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// A configuration file in a folder of its own, which tests edit as operators do, and the app
/// started from it.
struct ConfigFolder {
    static let adminToken = "admin-token-0123456789"
    static var adminAuth: HTTPFields { [.authorization: "Bearer \(adminToken)"] }

    let folder: URL
    let environment: [String: String]

    init(_ yaml: String, environment: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.environment = environment
        try write(yaml)
    }

    var configPath: String { folder.appendingPathComponent("config.yaml").path }
    var files: ConfigurationFiles { ConfigurationFiles(configPath: configPath, environment: environment) }

    /// Replaces the file as editors save: a new file renamed over the old one.
    func write(_ yaml: String) throws {
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Builds the app from the folder's configuration, with reloads reading the folder, and runs `body`.
    func withApp(
        providers: [any SMSProvider]? = nil, login: (any LoginStore)? = nil, logger: Logger = Logger(label: "test"),
        store: MemoryStore = MemoryStore(), clock: any SwitchboardClock = SystemClock(),
        _ body: @Sendable (any TestClientProtocol, MemoryStore) async throws -> Void
    ) async throws {
        let loaded = try files.load()
        var dependencies = ServerDependencies(
            config: loaded.config, messages: store, inbox: store, login: login, clock: clock, providers: providers, providerTypes: loaded.catalog
        )
        dependencies.loaded = loaded
        dependencies.configurationFiles = files
        let app = buildApplication(dependencies, logger: logger)
        try await app.test(.router) { client in try await body(client, store) }
    }
}

extension TestClientProtocol {
    /// `POST /admin/reload` with the admin token.
    func reload() async throws -> TestResponse {
        try await execute(uri: "/admin/reload", method: .post, headers: ConfigFolder.adminAuth)
    }

    /// Sends a text through `POST /v1/messages` with the tests' API key.
    func sendText(to number: String = "+447700900123") async throws -> TestResponse {
        let body = ByteBuffer(string: #"{"to": "\#(number)", "app": "demo", "text": "Your parcel arrives today"}"#)
        return try await execute(
            uri: "/v1/messages", method: .post, headers: [.authorization: "Bearer test-api-key-1", .contentType: "application/json"], body: body
        )
    }
}

/// An answer's body as a JSON object.
func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
}
