import NIOPosix
import ServiceLifecycle
import Synchronization
package import SwitchboardCore

/// `server.watch_config: true`: polls the configuration file and the providers folder, and
/// reloads once they have settled after a change (an editor's save-as-rename, an in-place write,
/// or a burst of either: one reload).
package final class ConfigWatchService: Service {
    private let files: ConfigurationFiles
    private let clock: any SwitchboardClock
    /// How often the files are looked at.
    private let pollInterval: Duration
    private let debouncer: Mutex<ChangeDebouncer<FileFingerprint>>
    private let reload: @Sendable () async -> Void

    /// Reads the files' fingerprint now, as the one the running configuration came from.
    /// - Parameters:
    ///   - files: The files to watch.
    ///   - clock: Measures the quiet period.
    ///   - pollInterval: How often the files are looked at.
    ///   - quietPeriod: How long the files must stay unchanged before a reload.
    ///   - reload: Reloads the configuration.
    package init(
        files: ConfigurationFiles, clock: any SwitchboardClock = SystemClock(), pollInterval: Duration = .milliseconds(500),
        quietPeriod: Duration = .seconds(1), reload: @escaping @Sendable () async -> Void
    ) {
        self.files = files
        self.clock = clock
        self.pollInterval = pollInterval
        self.debouncer = Mutex(ChangeDebouncer(initial: FileFingerprint.read(files), quietPeriod: quietPeriod))
        self.reload = reload
    }

    package func run() async throws {
        // Graceful shutdown cancels the loop; a reload under way finishes (it runs on the thread pool).
        try? await cancelWhenGracefulShutdown { [pollInterval] in
            while !Task.isCancelled {
                try await Task.sleep(for: pollInterval)
                _ = await self.check()
            }
        }
    }

    /// One poll: reads the files' fingerprint and reloads when they have settled after a change.
    /// - Returns: Whether it reloaded.
    package func check() async -> Bool {
        let files = self.files
        guard let fingerprint = try? await NIOThreadPool.singleton.runIfActive({ FileFingerprint.read(files) }) else { return false }
        let now = clock.now
        guard debouncer.withLock({ $0.observe(fingerprint, at: now) }) else { return false }
        await reload()
        return true
    }
}
