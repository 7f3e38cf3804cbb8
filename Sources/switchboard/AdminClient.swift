import ArgumentParser
import Foundation
import Logging
import SwitchboardCore
import SwitchboardProviders

/// Calls the running daemon's admin API for `switchboard reload` and `switchboard admin`.
struct AdminClient {
    /// `http://HOST:PORT` of the admin API.
    let baseURL: String
    let token: String

    /// The address and token from the options, else from the configuration: `admin.listen` (or
    /// `server.listen`) and `$SWITCHBOARD_ADMIN_TOKEN` (or the first of `admin.tokens`).
    /// - Throws: `CommandFailure` with the configuration's problems when it had to be read and is invalid.
    init(_ options: AdminOptions) throws {
        let environmentToken = ProcessInfo.processInfo.environment["SWITCHBOARD_ADMIN_TOKEN"]
        // With both given, the configuration is not read: it may be the broken edit being reloaded.
        if let url = options.url, let token = options.token ?? environmentToken {
            baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            self.token = token
            return
        }
        let config = try ConfigFile.load(options.config.config, providers: options.config.providers)
        if let url = options.url {
            baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        } else {
            let address = config.admin.listen ?? ListenAddress(host: config.server.host, port: config.server.port)
            // A daemon listening on every address is reached on loopback.
            let host = switch address.host {
            case "0.0.0.0": "127.0.0.1"
            case "::": "::1"
            default: address.host
            }
            baseURL = "http://\(ListenAddress(host: host, port: address.port))"
        }
        guard let token = options.token ?? environmentToken ?? config.admin.tokens.first else {
            throw CommandFailure("no admin token: the configuration has no admin.tokens; add one (README, \"Admin API\"), or pass --token or set SWITCHBOARD_ADMIN_TOKEN")
        }
        self.token = token
    }

    /// The status and body of `METHOD PATH`, through the client the daemon calls its providers with.
    /// - Parameter timeout: How long the daemon may take to answer.
    func call(_ method: HTTPMethodName, _ path: String, timeout: Duration = .seconds(30)) async throws -> (status: Int, body: String) {
        let (transport, client) = HTTPClientService.makeShared(connectionsPerHost: 1)
        let request = TransportRequest(method: method.name, url: baseURL + path, headers: [("Authorization", "Bearer \(token)")], body: nil)
        let result = await transport.execute(
            request, deadline: .now + timeout, maxResponseBytes: Self.maxAnswerBytes, logger: Logger(label: "switchboard.admin-client")
        )
        try? await client.shutdown()
        switch result {
        case .response(let response):
            return (response.status, String(decoding: response.body, as: UTF8.self))
        case .failure(.tooLarge(let status, let limit)):
            throw CommandFailure("the admin API at \(baseURL) answered HTTP \(status) with more than \(limit) bytes; is --url the admin API?")
        case .failure(.notSent(let reason)):
            throw CommandFailure("cannot reach the admin API at \(baseURL): \(reason); is the daemon running, and is --url right?")
        case .failure(.maybeSent(let reason)):
            throw CommandFailure("the admin API at \(baseURL) took the request but gave no answer: \(reason); the daemon's log says whether it was done")
        }
    }

    /// The longest answer read: far beyond any the admin API gives.
    static let maxAnswerBytes = 16 << 20

    /// The body's JSON `error.message` and `error.problems`, one a line, or the body as it is.
    static func describeError(status: Int, body: String) -> String {
        guard let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let error = object["error"] as? [String: Any]
        else { return "HTTP \(status): \(body)" }
        var lines = ["\(error["message"] as? String ?? "HTTP \(status)")"]
        lines += (error["problems"] as? [String]) ?? []
        return lines.joined(separator: "\n")
    }
}

/// `--url`, `--token` and the configuration options, for commands that call the running daemon.
struct AdminOptions: ParsableArguments {
    @OptionGroup var config: ConfigOption

    @Option(name: .long, help: "The admin API's base URL (default: http:// and admin.listen, or server.listen, of the configuration).")
    var url: String?

    @Option(name: .long, help: "The admin token (default: $SWITCHBOARD_ADMIN_TOKEN, or the first of admin.tokens).")
    var token: String?
}

extension HTTPMethodName {
    var name: String {
        switch self {
        case .get: "GET"
        case .post: "POST"
        case .delete: "DELETE"
        }
    }
}
