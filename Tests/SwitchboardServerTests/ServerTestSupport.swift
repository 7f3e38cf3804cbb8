import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import Testing

/// A suite of the HTTP API that runs the app built from its own configuration.
protocol APISuite {
    /// The configuration the suite's app is built from.
    static var yaml: String { get }
}

extension APISuite {
    /// The headers of a JSON request carrying the API key every test configuration declares.
    static var auth: HTTPFields { [.authorization: "Bearer test-api-key-1", .contentType: "application/json"] }

    /// Builds the app on one memory store, which holds both the message log and the inbox, and runs
    /// `body` against it.
    /// - Parameters:
    ///   - yaml: The configuration; the suite's own unless given.
    ///   - providers: Providers to use in place of the configured ones, when given.
    ///   - testing: How requests reach the app: through the router unless a test needs a socket.
    ///   - clock: The clock of the gateway and its breakers: a `ManualClock` for a test that asserts
    ///     times, so that they do not depend on how long the machine took.
    ///   - logger: The application's logger.
    ///   - clock: The clock of the gateway and the credential throttle.
    ///   - body: The test, given the client and the store.
    func withApp(
        yaml: String = Self.yaml, providers: [any SMSProvider]? = nil, testing: TestingSetup = .router,
        logger: Logger = Logger(label: "test"), clock: any SwitchboardClock = SystemClock(),
        _ body: @Sendable (any TestClientProtocol, MemoryStore) async throws -> Void
    ) async throws {
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:])
        let store = MemoryStore()
        let dependencies = ServerDependencies(config: config, messages: store, inbox: store, clock: clock, providers: providers)
        let app = buildApplication(dependencies, logger: logger)
        try await app.test(testing) { client in try await body(client, store) }
    }

    /// An answer's body as a JSON object.
    /// - Throws: When the body is not a JSON object, which ends the test.
    func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }
}
