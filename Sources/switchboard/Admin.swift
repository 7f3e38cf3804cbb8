import ArgumentParser
import Foundation

/// `switchboard admin ...`: the admin API from the command line, so an operator never needs curl.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read and steer the running daemon through its admin API.",
        subcommands: [ShowConfig.self, Providers.self, Pause.self, Resume.self, Messages.self, Lockout.self, Unlock.self]
    )

    /// Prints the answer's JSON, or its error and exits 1.
    static func call(_ admin: AdminOptions, _ method: HTTPMethodName, _ path: String) async throws {
        // The path's query values and segments are encoded by the callers.
        do {
            let client = try AdminClient(admin)
            let (status, body) = try await client.call(method, path)
            guard status == 200 else {
                printError(AdminClient.describeError(status: status, body: body))
                throw ExitCode.failure
            }
            print(body)
        } catch let failure as CommandFailure {
            printError(failure.description)
            throw ExitCode.failure
        }
    }

    struct ShowConfig: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "config", abstract: "The effective configuration, secrets redacted, with its hash and files.")
        @OptionGroup var admin: AdminOptions
        func run() async throws { try await Admin.call(admin, .get, "/admin/config") }
    }

    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each provider's breaker, recent outcomes, Retry-After, token and pause.")
        @OptionGroup var admin: AdminOptions
        func run() async throws { try await Admin.call(admin, .get, "/admin/providers") }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a provider out of rotation until `resume`: sends skip it, recorded as paused.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The provider's name in the configuration.") var name: String
        func run() async throws { try await Admin.call(admin, .post, "/admin/providers/\(Admin.pathComponent(name))/pause") }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a paused provider back into rotation.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The provider's name in the configuration.") var name: String
        func run() async throws { try await Admin.call(admin, .post, "/admin/providers/\(Admin.pathComponent(name))/resume") }
    }

    struct Messages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The message log, newest first; `next` in the answer is the --after of the next page.")
        @OptionGroup var admin: AdminOptions
        @Option(help: "Only messages to this number.") var to: String?
        @Option(help: "Only messages in this status: pending, accepted, failed or interrupted.") var status: String?
        @Option(help: "Only messages this provider took (or last tried).") var provider: String?
        @Option(help: "Only messages created at or after this ISO 8601 time.") var since: String?
        @Option(help: "At most this many (1 to 1000; default 50).") var limit: Int?
        @Option(help: "Only messages after this id (the `next` of the previous page).") var after: String?

        func run() async throws {
            let pairs: [(String, String?)] = [
                ("to", to), ("status", status), ("provider", provider), ("since", since), ("limit", limit.map(String.init)), ("after", after),
            ]
            let query = pairs.compactMap { name, value in value.map { "\(name)=\(Admin.queryValue($0))" } }.joined(separator: "&")
            try await Admin.call(admin, .get, "/admin/messages" + (query.isEmpty ? "" : "?" + query))
        }
    }

    struct Lockout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether the app's user with this number is locked out after wrong codes.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The app's id.") var app: String
        @Argument(help: "The user's phone number.") var phone: String
        func run() async throws { try await Admin.call(admin, .get, "/admin/apps/\(Admin.pathComponent(app))/lockouts/\(Admin.pathComponent(phone))") }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End the lockout of the app's user with this number.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The app's id.") var app: String
        @Argument(help: "The user's phone number.") var phone: String
        func run() async throws { try await Admin.call(admin, .delete, "/admin/apps/\(Admin.pathComponent(app))/lockouts/\(Admin.pathComponent(phone))") }
    }

    /// A query value, percent-encoded (`+` included, which a query would read as a space).
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A path segment: names are letters, digits, `-` and `_`, numbers may start with `+`; anything else is percent-encoded.
    static func pathComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_+")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// The methods the admin commands use.
enum HTTPMethodName {
    case get
    case post
    case delete
}
