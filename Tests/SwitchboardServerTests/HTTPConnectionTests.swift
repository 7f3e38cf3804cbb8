import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The server as real HTTP clients meet it on a socket: keep-alive and `Connection: close`, HTTP/1.0,
/// slow and idle sockets, the connection cap, and bodies framed in ways it cannot read.
@Suite("HTTP connections", .timeLimit(.minutes(2)))
struct HTTPConnectionTests {
    static func yaml(timeouts: String = "{ header: 10s, body: 10s, idle: 10s }", maxConnections: Int = 64) -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
          timeouts: \(timeouts)
          max_connections: \(maxConnections)
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code." }
        providers:
          default: { type: default }
        routes:
          - { name: everyone, sender: "+14155550100", providers: [default] }
        """
    }

    /// Runs the daemon's application as `switchboard serve` does (not through the test framework,
    /// which drops the connection cap), on a port the system picks, and runs `body` with that port.
    func withServer(_ yaml: String = Self.yaml(), _ body: @Sendable (Int) async throws -> Void) async throws {
        let config = try ConfigParser.parse(yaml: yaml.replacingOccurrences(of: "server:\n", with: "server:\n  listen: 127.0.0.1:0\n"), file: "test.yaml", environment: [:])
        let store = MemoryStore()
        let logs = LogRecords()
        let app = buildApplication(ServerDependencies(config: config, messages: store, inbox: store), logger: logs.logger(label: "test"))
        let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            defer { group.cancelAll() }
            try await body(try await Self.listeningPort(logs))
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// The port from the daemon's "listening" line, once it is logged.
    static func listeningPort(_ logs: LogRecords) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let address = logs.all.first(where: { $0.message == "switchboard is listening" })?.metadata["sb.address"],
                let port = address.split(separator: ":").last.flatMap({ Int($0) })
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw NotListening(lines: logs.lines)
    }

    struct NotListening: Error, CustomStringConvertible {
        var lines: [String]
        var description: String { "the daemon did not say it was listening; its log:\n" + lines.joined(separator: "\n") }
    }

    static let health = "GET /healthz HTTP/1.1\r\nHost: switchboard\r\n"

    @Test(
        "a request that does not keep its connection (Connection: close in any spelling, or HTTP/1.0) gets Connection: close, and the socket really closes",
        arguments: [
            health + "Connection: close\r\n\r\n", health + "Connection: Close\r\n\r\n", health + "Connection: TE, close\r\n\r\n",
            "GET /healthz HTTP/1.0\r\n\r\n",
        ]
    )
    func connectionClose(request: String) async throws {
        try await withServer { port in
            try await RawHTTPConnection.with(port: port) { connection in
                try await connection.send(request)
                let response = try await connection.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Connection") == "close")
                try await connection.waitForClose(within: .seconds(60))
            }
        }
    }

    @Test("an HTTP/1.0 request with keep-alive is told so, and its connection serves the next request")
    func http10KeepAlive() async throws {
        try await withServer { port in
            try await RawHTTPConnection.with(port: port) { connection in
                for _ in 0..<2 {
                    try await connection.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    let response = try await connection.readResponse()
                    #expect(response.status == 200)
                    #expect(response.header("Connection") == "keep-alive")
                }
            }
        }
    }

    @Test("an HTTP/1.1 connection stays open for the next request and says nothing of closing")
    func http11KeepAlive() async throws {
        try await withServer { port in
            try await RawHTTPConnection.with(port: port) { connection in
                for _ in 0..<3 {
                    try await connection.send(Self.health + "\r\n")
                    let response = try await connection.readResponse()
                    #expect(response.status == 200)
                    #expect(response.header("Connection") == nil)
                }
            }
        }
    }

    @Test("headers that never end are cut off by the header limit, while other clients are served")
    func slowHeaders() async throws {
        try await withServer(Self.yaml(timeouts: "{ header: 400ms }")) { port in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await RawHTTPConnection.with(port: port) { connection in
                            try await connection.send("GET /healthz HTTP/1.1\r\nHost: a\r\nX-P: ")
                            try await connection.waitForClose(within: .seconds(60))
                        }
                    }
                }
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send(Self.health + "\r\n")
                    #expect(try await connection.readResponse().status == 200)
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("a body that never ends is cut off by the body limit")
    func slowBody() async throws {
        try await withServer(Self.yaml(timeouts: "{ body: 400ms }")) { port in
            try await RawHTTPConnection.with(port: port) { connection in
                try await connection.send(
                    "POST /v1/messages HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer test-api-key-1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"to\""
                )
                try await connection.waitForClose(within: .seconds(60))
            }
        }
    }

    @Test("a connection that sends nothing, or nothing more after an answer, is closed by the idle limit")
    func idle() async throws {
        // Long enough that a busy machine never takes it between connecting and sending the request.
        try await withServer(Self.yaml(timeouts: "{ idle: 2s }")) { port in
            // The server's idle clock starts at the connection or the answer, which this side sees a
            // moment later, so the bound leaves room for a busy machine's delay.
            let silent = try await RawHTTPConnection.with(port: port) { connection in
                try await connection.waitForClose(within: .seconds(60))
            }
            #expect(silent >= .seconds(1), "closed after \(silent)")
            let afterAnswer = try await RawHTTPConnection.with(port: port) { connection in
                try await connection.send(Self.health + "\r\n")
                #expect(try await connection.readResponse().status == 200)
                return try await connection.waitForClose(within: .seconds(60))
            }
            #expect(afterAnswer >= .seconds(1), "closed after \(afterAnswer)")
        }
    }

    @Test("past max_connections a client waits until a connection closes, then is served")
    func connectionCap() async throws {
        try await withServer(Self.yaml(timeouts: "{ idle: 3s }", maxConnections: 2)) { port in
            try await RawHTTPConnection.with(port: port) { first in
                try await first.send(Self.health + "\r\n")
                #expect(try await first.readResponse().status == 200)
                try await RawHTTPConnection.with(port: port) { second in
                    try await second.send(Self.health + "\r\n")
                    #expect(try await second.readResponse().status == 200)
                    try await RawHTTPConnection.with(port: port) { third in
                        try await third.send(Self.health + "\r\n")
                        #expect(try await third.readResponse().status == 200)
                    }
                    // The third was answered only after the idle limit had closed one of the first two.
                    let firstClosed = (try? await first.waitForClose(within: .seconds(1))) != nil
                    let secondClosed = (try? await second.waitForClose(within: .seconds(1))) != nil
                    #expect(firstClosed || secondClosed)
                }
            }
        }
    }

    @Test("at the connection cap, a burst of as many new clients waits in the listen queue and is served")
    func connectBurstAtTheCap() async throws {
        // More than the listen queue servers usually have, so a queue of that size would drop some
        // handshakes, and their clients would retry them only a second later.
        let cap = 300
        try await withServer(Self.yaml(maxConnections: cap)) { port in
            let release = Gate()
            let held = AsyncStream<Void>.makeStream()
            let queued = AsyncStream<Bool>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<cap {
                    group.addTask {
                        try await RawHTTPConnection.with(port: port) { connection in
                            try await connection.send(Self.health + "\r\n")
                            #expect(try await connection.readResponse().status == 200)
                            held.continuation.yield()
                            await release.wait()
                        }
                    }
                }
                var served = 0
                for await _ in held.stream {
                    served += 1
                    if served == cap { break }
                }
                for _ in 0..<cap {
                    group.addTask {
                        do {
                            try await RawHTTPConnection.with(port: port, connectTimeout: .milliseconds(900)) { connection in
                                queued.continuation.yield(true)
                                await release.wait()
                                try await connection.send(Self.health + "\r\n")
                                #expect(try await connection.readResponse().status == 200)
                            }
                        } catch {
                            queued.continuation.yield(false)
                        }
                    }
                }
                var connected = 0
                var dropped = 0
                for await accepted in queued.stream {
                    if accepted { connected += 1 } else { dropped += 1 }
                    if connected + dropped == cap { break }
                }
                #expect(dropped == 0, "\(dropped) of \(cap) connects at the cap were not queued")
                release.open()
                try await group.waitForAll()
            }
        }
    }

    @Test("a transfer coding other than chunked is 501, and the connection closes")
    func unknownTransferCoding() async throws {
        try await withServer { port in
            try await RawHTTPConnection.with(port: port) { connection in
                try await connection.send(
                    "POST /v1/messages HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer test-api-key-1\r\nContent-Type: application/json\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n"
                )
                let response = try await connection.readResponse()
                #expect(response.status == 501, "got \(response.status) \(response.body)")
                #expect(response.body.contains(#""code":"unsupported_transfer_encoding""#), "\(response.body)")
                #expect(response.header("Connection") == "close")
                try await connection.waitForClose(within: .seconds(60))
            }
        }
    }
}
