import ServiceLifecycle
package import SwitchboardCore

/// Owns the application's one pool of provider connections: runs until graceful shutdown, then
/// shuts the pool down. Added after the store, so it stops before the store does.
package struct HTTPClientService: Service {
    package let pool: HTTPConnectionPool

    package init(pool: HTTPConnectionPool) {
        self.pool = pool
    }

    package func run() async throws {
        // Cancellation also means "stop": shut the pool down either way.
        try? await gracefulShutdown()
        await pool.shutdown()
    }
}

extension HTTPClientService {
    /// The application's one connection pool, the transport over it, and the service that shuts it down.
    /// - Parameters:
    ///   - clock: The transport's time source.
    ///   - connectionsPerHost: Idle connections kept per host: no fewer than the requests the
    ///     providers on that host may have in flight (`providers.NAME.max_in_flight`), so that a
    ///     steady load reuses its connections instead of opening new ones.
    package static func makeShared(
        clock: any SwitchboardClock = SystemClock(), connectionsPerHost: Int = ProviderLimits.defaultMaxInFlight
    ) -> (transport: HTTPTransport, service: HTTPClientService) {
        let pool = HTTPConnectionPool(maxIdlePerHost: connectionsPerHost)
        return (HTTPTransport(pool: pool, clock: clock), HTTPClientService(pool: pool))
    }

    /// Shuts the pool down now, for commands that run without a service group (`switchboard send`).
    package func shutdown() async throws {
        await pool.shutdown()
    }
}
