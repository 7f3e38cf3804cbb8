import Foundation
import Logging
import NIOPosix
import Synchronization
package import SwitchboardCore

/// Holds the running configuration behind one reference and replaces it on reload:
/// validate-then-swap, so a broken edit never takes the service down.
package final class ConfigurationReloader: Sendable {
    /// How a reload ended.
    package enum Outcome: Sendable {
        /// The new configuration runs; what changed.
        case applied(ConfigurationChange, hash: String)
        /// The running configuration stays; every problem, `FILE:LINE:COLUMN: ...`.
        case rejected(problems: [String])
    }

    private let state: Mutex<RunningConfiguration>
    /// Held for the whole of a reload (on a thread-pool thread, never across an `await`), so two
    /// reloads never build from the same running configuration.
    private let reloading = Mutex<Void>(())
    /// The start-up configuration: what differs from it in listen addresses or storage waits for a restart.
    private let startup: SwitchboardConfig
    private let files: ConfigurationFiles?
    private let builder: ConfigurationBuilder
    private let logger: Logger

    /// - Parameters:
    ///   - files: Where reloads read from; `nil` when the configuration was given in memory (tests), which refuses reloads.
    init(builder: ConfigurationBuilder, initial: LoadedConfiguration, files: ConfigurationFiles?, logger: Logger) {
        self.builder = builder
        self.state = Mutex(builder.build(initial))
        self.startup = initial.config
        self.files = files
        self.logger = logger
    }

    /// The configuration in force now. Take it once per request or send, and keep it.
    package var current: RunningConfiguration {
        state.withLock { $0 }
    }

    /// Reads the files again and, when everything in them is valid, swaps the new configuration in.
    /// - Parameter trigger: What asked (`SIGHUP`, `admin API`, `file change`), for the log.
    package func reload(trigger: String) async -> Outcome {
        guard let files else {
            return .rejected(problems: ["this daemon was not started from configuration files, so there is nothing to reload"])
        }
        do {
            return try await NIOThreadPool.singleton.runIfActive { self.reloadNow(from: files, trigger: trigger) }
        } catch {
            return .rejected(problems: ["the reload could not run: the daemon is shutting down"])
        }
    }

    /// Loads, validates, builds and swaps, synchronously: the caller runs it off the event loops.
    package func reloadNow(from files: ConfigurationFiles, trigger: String) -> Outcome {
        reloading.withLock { _ -> Outcome in
            let previous = current
            let loaded: LoadedConfiguration
            switch Result(catching: { () throws(ConfigurationFiles.Failure) in try files.load() }) {
            case .success(let valid):
                loaded = valid
            case .failure(let failure):
                logger.error(
                    "configuration reload refused; the running configuration stays",
                    metadata: ["sb.reload.trigger": "\(trigger)", "sb.config.problems": "\(failure.problems.joined(separator: " | "))"]
                )
                return .rejected(problems: failure.problems)
            }
            let change = ConfigurationChange(
                from: previous.config, to: loaded.config, oldFingerprints: previous.loaded.definitionFingerprints,
                newFingerprints: loaded.definitionFingerprints
            )
            let pending = ConfigurationChange(from: startup, to: loaded.config).needsRestart
            let next = builder.build(loaded, replacing: previous, unchanged: change.unchangedProviders, pendingRestart: pending)
            state.withLock { $0 = next }
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "sb.reload.trigger": "\(trigger)", "sb.config.change": "\(change.summary)", "sb.config.hash": "\(loaded.hash)",
                ]
            )
            if !pending.isEmpty {
                logger.warning("some settings changed but need a restart", metadata: ["sb.config.needs_restart": "\(pending.joined(separator: ", "))"])
            }
            return .applied(change, hash: loaded.hash)
        }
    }
}
