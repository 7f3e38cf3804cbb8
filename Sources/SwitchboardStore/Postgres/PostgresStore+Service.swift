import ServiceLifecycle

/// Run the store as a service so that it is closed after the server has stopped: add it to the
/// application's services before anything that uses it, since services stop in reverse order.
extension PostgresStore: Service {
    /// Waits for graceful shutdown (or cancellation), then closes the store.
    package func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            try await close()
            throw error
        }
        try await close()
    }
}

extension PostgresStore: DurableStore {}
