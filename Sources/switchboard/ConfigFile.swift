import SwitchboardCore
import SwitchboardServer

/// Reads and validates the configuration file at the edge, where file I/O belongs.
enum ConfigFile {
    /// The validated configuration, or every problem printed to standard error.
    /// - Parameters:
    ///   - path: The configuration file.
    ///   - providers: The provider definitions folder; `providers` next to the configuration file when nil.
    static func load(_ path: String, providers: String? = nil) throws -> SwitchboardConfig {
        try loadWithProviders(path, providers: providers).config
    }

    /// The provider definitions folder, then the configuration validated against it.
    static func loadWithProviders(_ path: String, providers: String? = nil) throws -> (config: SwitchboardConfig, catalog: ProviderCatalog) {
        let loaded = try loadFiles(ConfigurationFiles(configPath: path, providersFolder: providers))
        return (loaded.config, loaded.catalog)
    }

    /// Everything `files` hold, validated, with its hash (what the daemon runs and reloads).
    static func loadFiles(_ files: ConfigurationFiles) throws -> LoadedConfiguration {
        do {
            return try files.load()
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// A failure to report to the user as it is, and exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
