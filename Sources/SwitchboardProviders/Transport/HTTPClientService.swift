package import AsyncHTTPClient
package import ServiceLifecycle

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
