import Crypto
package import Foundation
package import SwitchboardCore
import SwitchboardProviders

/// Where the daemon's configuration comes from: `config.yaml` and the provider definitions folder.
///
/// Loading reads files synchronously: call it at start-up, from the command line, or off the event
/// loops (a reload runs it on the thread pool).
package struct ConfigurationFiles: Sendable {
    package let configPath: String
    package let providersFolder: String
    /// The variables `${NAME}` expands from; `nil` reads the process environment at each load.
    package let environment: [String: String]?

    /// - Parameters:
    ///   - configPath: The configuration file.
    ///   - providersFolder: The provider definitions folder; `providers` next to the configuration file when nil.
    ///   - environment: Fixed variables (tests); nil for the process environment.
    package init(configPath: String, providersFolder: String? = nil, environment: [String: String]? = nil) {
        self.configPath = configPath
        self.providersFolder = providersFolder ?? ((configPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("providers")
        self.environment = environment
    }

    /// Why a configuration could not be loaded: every problem, one a line, `FILE:LINE:COLUMN: ...` where there is a place.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var problems: [String]
        package var description: String { problems.joined(separator: "\n") }
    }

    /// Reads and validates everything `switchboard check` checks, environment variables resolved.
    /// - Throws: `Failure` with every problem found.
    package func load() throws(Failure) -> LoadedConfiguration {
        let fingerprints = Self.fingerprints(folder: providersFolder)
        let catalog: ProviderCatalog
        do {
            catalog = try ProviderCatalog.load(directory: providersFolder)
        } catch {
            throw Failure(problems: error.problems.map(\.description))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: configPath))
        } catch {
            throw Failure(problems: ["\(configPath): cannot read the configuration file: \(Self.describe(error)); pass another one with --config PATH"])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(problems: ["\(configPath):1:1: the file cannot be read as UTF-8 text"])
        }
        let config: SwitchboardConfig
        do {
            config = try ConfigParser.parse(yaml: text, file: configPath, environment: environment ?? ProcessInfo.processInfo.environment, providerTypes: catalog)
        } catch {
            var problems = error.problems.map(\.description)
            if !FileManager.default.fileExists(atPath: providersFolder) {
                // Unknown types are likely when the definitions were not found: say where we looked.
                problems.append("note: there is no provider definitions folder at \(providersFolder); pass --providers DIR")
            }
            throw Failure(problems: problems)
        }
        var hash = SHA256()
        hash.update(data: Array(configPath.utf8) + [0])
        hash.update(data: data)
        for (name, digest) in fingerprints.files.sorted(by: { $0.key < $1.key }) {
            hash.update(data: Array("\(name)\0\(digest)\0".utf8))
        }
        return LoadedConfiguration(
            config: config, catalog: catalog, hash: Self.hex(hash.finalize()), loadedAt: Date(),
            files: [configPath] + fingerprints.files.keys.sorted().map { (providersFolder as NSString).appendingPathComponent($0) },
            definitionFingerprints: fingerprints.definitions
        )
    }

    /// Each file of the providers folder's digest, and each type's: its definition's and every
    /// template's, since a definition may use any of them.
    private static func fingerprints(folder: String) -> (files: [String: String], definitions: [String: String]) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return ([:], [:]) }
        var files: [String: String] = [:]
        for name in names where !name.hasPrefix(".") && name != "README.md" {
            let path = (folder as NSString).appendingPathComponent(name)
            // A file that cannot be read here is reported by the catalog's own read.
            guard let data = manager.contents(atPath: path) else { continue }
            files[name] = hex(SHA256.hash(data: data))
        }
        let isDefinition = { (name: String) in name.hasSuffix(".yaml") || name.hasSuffix(".yml") }
        let templates = files.filter { !isDefinition($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        var definitions: [String: String] = [:]
        for (name, digest) in files where isDefinition(name) {
            let type = String(name.prefix(upTo: name.lastIndex(of: ".") ?? name.endIndex))
            definitions[type] = digest + "+" + templates
        }
        return (files, definitions)
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}

/// A validated configuration with where it came from.
package struct LoadedConfiguration: Sendable {
    package var config: SwitchboardConfig
    package var catalog: ProviderCatalog
    /// SHA-256 of the configuration file and every file of the providers folder; empty when the
    /// configuration did not come from files.
    package var hash: String
    package var loadedAt: Date
    /// The files read, configuration first.
    package var files: [String]
    /// A digest per provider type defined in `providers/`: a provider whose settings and type's
    /// digest are unchanged keeps its instance across a reload.
    package var definitionFingerprints: [String: String]

    package init(
        config: SwitchboardConfig, catalog: ProviderCatalog = ProviderCatalog(), hash: String = "", loadedAt: Date = Date(), files: [String] = [],
        definitionFingerprints: [String: String] = [:]
    ) {
        self.config = config
        self.catalog = catalog
        self.hash = hash
        self.loadedAt = loadedAt
        self.files = files
        self.definitionFingerprints = definitionFingerprints
    }
}
