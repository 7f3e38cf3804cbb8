import ServiceLifecycle
package import SwitchboardCore

/// The daemon runs its background work as a service: a graceful shutdown stops taking work and
/// waits for what was taken. Added after the HTTP client, so work that sends finishes before
/// the client (and, after it, the store) shuts down.
extension BackgroundWork: Service {
    package func run() async throws {
        await withGracefulShutdownHandler {
            await runUntilFinished()
        } onGracefulShutdown: {
            self.finish()
        }
    }
}
