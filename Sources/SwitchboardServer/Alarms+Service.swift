import ServiceLifecycle
package import SwitchboardCore

/// The daemon's timer runs as a service, added before the server and every service that sends, so
/// it stops after them: a send still draining keeps its cut-off, and a queued one its wake-up.
extension Alarms: Service {
    package func run() async throws {
        await withGracefulShutdownHandler {
            await runUntilFinished()
        } onGracefulShutdown: {
            self.finish()
        }
    }
}
