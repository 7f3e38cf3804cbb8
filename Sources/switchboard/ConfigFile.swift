import Foundation
import SwitchboardCore
import SwitchboardProviders

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
        let folder = providers ?? ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("providers")
        let catalog: ProviderCatalog
        do {
            catalog = try ProviderCatalog.load(directory: folder)
        } catch {
            throw CommandFailure(error.description)
        }
        do {
            return (try parse(path, catalog: catalog), catalog)
        } catch let failure as CommandFailure where !FileManager.default.fileExists(atPath: folder) {
            // Unknown types are likely when the definitions were not found: say where we looked.
            throw CommandFailure(failure.description + "\nnote: there is no provider definitions folder at \(folder); pass --providers DIR")
        }
    }

    private static func parse(_ path: String, catalog: ProviderCatalog) throws -> SwitchboardConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandFailure("\(path): cannot read the configuration file: \(describe(error)); pass another one with --config PATH")
        }
        do {
            return try ConfigParser.parse(yaml: text, file: path, environment: ProcessInfo.processInfo.environment, providerTypes: catalog)
        } catch {
            throw CommandFailure(error.description)
        }
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

/// A failure to report to the user as it is, and exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
