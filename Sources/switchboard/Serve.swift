import ArgumentParser
import Hummingbird
import Logging
import Metrics
import Prometheus
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore

/// `switchboard serve`: run the daemon until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API and gateway.")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(logLevel)'")
        }
    }

    func run() async throws {
        let files = ConfigurationFiles(configPath: options.config, providersFolder: options.providers)
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigFile.loadFiles(files)
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let format = loaded.config.server.logFormat
        LoggingSystem.bootstrap { label -> any LogHandler in
            var handler = LineLogHandler.standardError(label: label, format: format)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "switchboard")
        if !DaemonThreads.start(threads: loaded.config.server.threads) {
            logger.notice("server.threads: tasks run on Swift's own threads beside the event loops, as its executor could not be replaced")
        }
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(metrics.factory)
        let store: any DurableStore
        do {
            store = try await StoreOpener.open(
                loaded.config.storage, logger: logger, commits: metrics.store, reachability: metrics.store
            )
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
        var dependencies = ServerDependencies(
            config: loaded.config, messages: store, inbox: store, services: store.services, login: store, providerTypes: loaded.catalog, metrics: metrics
        )
        // SIGHUP, `POST /admin/reload` and `switchboard reload` read these files again.
        dependencies.loaded = loaded
        dependencies.configurationFiles = files
        dependencies.webhooks = store
        let app = buildApplication(dependencies, logger: logger)
        try await app.runService()
    }
}
