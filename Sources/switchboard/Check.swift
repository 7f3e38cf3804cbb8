import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardStore

/// `switchboard check`: validate the configuration without starting anything.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the configuration file and report every problem.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        do {
            let (config, catalog) = try ConfigFile.loadWithProviders(options.config, providers: options.providers)
            if case .postgres(let postgres) = config.storage {
                do {
                    try postgres.checkRootCertificates()
                } catch {
                    throw CommandFailure("\(options.config): 'storage.postgres.url' \(postgres): \(error)")
                }
            }
            print(
                "\(options.config): OK — \(catalog.definitions.count) provider type definition(s), \(config.apps.count) app(s), \(config.providers.count) provider(s), "
                    + "\(config.routes.count) route(s), \(config.templates.count) template(s)"
            )
            let verifying = config.providers.filter { catalog.definitions[$0.type]?.kind == .verify }.map(\.name)
            if !verifying.isEmpty {
                print("verify providers (they send and check their own code, for OTP logins only): \(verifying.joined(separator: ", "))")
            }
            switch config.storage {
            case .postgres(let postgres):
                // The URL as Switchboard will use it, without its password.
                print("storage: \(postgres) (pool \(postgres.pool), \(postgres.security))")
            case .sqlite(let sqlite) where sqlite.durability == .processCrash:
                print("storage: \(sqlite): a commit survives kill -9 of the daemon, not a power cut")
            case .sqlite:
                break
            }
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }
}

/// Writes a line to standard error, with control characters written out (`\u{1B}`): errors quote
/// what providers answered and what the store holds.
func printError(_ text: String) {
    var standardError = StandardError()
    print(ControlCharacter.escaped(text, keepingLineFeeds: true), to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
