import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on each `SIGHUP`, until graceful shutdown. A reload's outcome is in
/// the log (the reloader logs it).
struct ReloadSignalService: Service {
    let configuration: ConfigurationReloader

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for try await _ in signals.cancelOnGracefulShutdown() {
            _ = await configuration.reload(trigger: "SIGHUP")
        }
    }
}
