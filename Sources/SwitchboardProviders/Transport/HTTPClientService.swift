package import AsyncHTTPClient
import ServiceLifecycle
package import SwitchboardCore

/// Owns the application's one `HTTPClient`: runs until graceful shutdown, then shuts the client
/// down. Added after the store, so it stops before the store does.
package struct HTTPClientService: Service {
    package let client: HTTPClient

    package init(client: HTTPClient) {
        self.client = client
    }

    package func run() async throws {
        // Cancellation also means "stop": shut the client down either way.
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

extension HTTPClientService {
    /// The application's one HTTP client, the transport over it, and the service that shuts it down.
    /// - Parameters:
    ///   - clock: The transport's time source.
    ///   - connectionsPerHost: Pooled connections to one host at most (see `HTTPTransport.clientConfiguration`).
    package static func makeShared(
        clock: any SwitchboardClock = SystemClock(), connectionsPerHost: Int = ProviderLimits.defaultMaxInFlight
    ) -> (transport: HTTPTransport, service: HTTPClientService) {
        let configuration = HTTPTransport.clientConfiguration(connectionsPerHost: connectionsPerHost)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        return (HTTPTransport(client: client, clock: clock), HTTPClientService(client: client))
    }

    /// Shuts the client down now, for commands that run without a service group (`switchboard send`).
    package func shutdown() async throws {
        try await client.shutdown()
    }
}
