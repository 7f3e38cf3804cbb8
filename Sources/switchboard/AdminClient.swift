import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchboardCore

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

    /// The status and body of `METHOD PATH`.
    /// - Parameter timeout: How long the daemon may take to answer.
    func call(_ method: HTTPMethod, _ path: String, timeout: TimeAmount = .seconds(30)) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let outcome: Result<(Int, String), any Error>
        do {
            let response = try await client.execute(request, deadline: .now() + timeout)
            let body = try await response.body.collect(upTo: 16 << 20)
            outcome = .success((Int(response.status.code), String(buffer: body)))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        do {
            return try outcome.get()
        } catch {
            throw CommandFailure("cannot reach the admin API at \(baseURL): \(error); is the daemon running, and is --url right?")
        }
    }

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
    var method: HTTPMethod {
        switch self {
        case .get: .GET
        case .post: .POST
        case .delete: .DELETE
        }
    }
}
