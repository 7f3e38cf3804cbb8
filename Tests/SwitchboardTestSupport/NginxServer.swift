import Foundation
import NIOCore
import NIOPosix

/// nginx (Debian's, which `scripts/setup` installs) serving HTTPS with HTTP/2 on a loopback port,
/// as a provider's edge does: a server other than our own code's to check the provider client's
/// HTTP/2 against. Every location answers at once, without reading the request body, as nginx's
/// `return` does; each request is logged as `PROTOCOL CONNECTION STATUS`.
package final class NginxServer: Sendable {
    package let port: Int
    private let folder: String
    private let process: ChildProcess

    /// `https://127.0.0.1:PORT`.
    package var baseURL: String { "https://127.0.0.1:\(port)" }

    /// - Parameters:
    ///   - certificate: What it serves TLS with.
    ///   - answers: Each location's exact path, status and JSON body.
    ///   - reloadable: Runs a master process with its worker, so that ``reload()`` works as it does
    ///     in production: a new worker takes new connections, and the old one says `GOAWAY` on its
    ///     own and ends once it has answered the streams it serves.
    package init(certificate: TestCertificate, answers: [(path: String, status: Int, body: String)], reloadable: Bool = false) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sb-nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = try certificate.write(into: folder)
        var lastError = ""
        // The port is found free and given to nginx, which another process may take in between.
        for _ in 0..<3 {
            let port = try await Self.freePort()
            let locations = answers.map { answer in
                "location = \(answer.path) { default_type application/json; return \(answer.status) '\(answer.body)'; }"
            }
            let configuration = """
                daemon off;
                master_process \(reloadable ? "on" : "off");
                worker_processes 1;
                pid \(folder)/nginx.pid;
                error_log \(folder)/error.log;
                events { worker_connections 1024; }
                http {
                    client_body_temp_path \(folder)/body;
                    proxy_temp_path \(folder)/proxy;
                    fastcgi_temp_path \(folder)/fastcgi;
                    uwsgi_temp_path \(folder)/uwsgi;
                    scgi_temp_path \(folder)/scgi;
                    log_format requests "$server_protocol $connection $status";
                    access_log \(folder)/access.log requests;
                    server {
                        listen 127.0.0.1:\(port) ssl http2;
                        ssl_certificate \(files.certificate);
                        ssl_certificate_key \(files.key);
                        \(locations.joined(separator: "\n            "))
                    }
                }
                """
            try configuration.write(toFile: "\(folder)/nginx.conf", atomically: true, encoding: .utf8)
            let process = try ChildProcess(
                "nginx", ["-p", folder, "-e", "\(folder)/error.log", "-c", "\(folder)/nginx.conf"], outputs: .merged
            )
            if await Self.accepts(port: port, while: process) {
                self.port = port
                self.process = process
                return
            }
            process.signal(SIGKILL)
            _ = await process.termination(within: .seconds(10))
            lastError = (try? String(contentsOfFile: "\(folder)/error.log", encoding: .utf8)) ?? process.standardOutput.text
        }
        try? FileManager.default.removeItem(atPath: folder)
        throw NginxServerError(description: "nginx did not start (scripts/setup installs it): \(lastError)")
    }

    /// Each request logged so far: protocol, connection number, status.
    package func requests() throws -> [(protocol: String, connection: String, status: Int)] {
        let log = try String(contentsOfFile: "\(folder)/access.log", encoding: .utf8)
        return log.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), String(fields[1]), Int(fields[2]) ?? 0)
        }
    }

    /// Reloads the configuration, as `nginx -s reload` does (with `reloadable` only).
    package func reload() {
        process.signal(SIGHUP)
    }

    /// Stops nginx and removes its folder (its configuration, logs and the certificate's copy).
    package func stop() async {
        process.signal(SIGTERM)
        if await process.termination(within: .seconds(10)) == nil {
            process.signal(SIGKILL)
            _ = await process.termination(within: .seconds(10))
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func freePort() async throws -> Int {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress?.port ?? 0
        try await listener.close()
        return port
    }

    /// Whether nginx takes connections on `port` within a few seconds, while it runs.
    private static func accepts(port: Int, while process: ChildProcess) async -> Bool {
        var accepted = false
        // An nginx that stopped (its port taken meanwhile, say) ends the wait too.
        _ = await eventually(within: .seconds(5)) {
            guard process.ended == nil else { return true }
            guard let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() else {
                return false
            }
            try? await channel.close()
            accepted = true
            return true
        }
        return accepted
    }
}

struct NginxServerError: Error, CustomStringConvertible {
    var description: String
}
