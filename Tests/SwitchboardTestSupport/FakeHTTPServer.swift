import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// A real HTTP/1.1 server on a loopback port chosen by the system, for fake providers: it records
/// every request and answers through a handler that can also delay, hang or drop the connection.
/// Over TLS it can also offer HTTP/2, each stream answered as a request on its own connection.
package final class FakeHTTPServer: Sendable {
    /// One request as received.
    package struct Request: Sendable {
        package var method: String
        /// The request target: path and query.
        package var uri: String
        package var headers: [(String, String)]
        package var body: [UInt8]
        /// The protocol it came in: `HTTP/1.1`, `HTTP/2.0`.
        package var version = "HTTP/1.1"

        package var path: String { String(uri.prefix { $0 != "?" }) }
        package var bodyText: String { String(decoding: body, as: UTF8.self) }

        package func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }

        /// Form fields in order, decoded (`+` is a space).
        package var formFields: [(String, String)] {
            bodyText.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ text: Substring) -> String {
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<undecodable>"
                }
                return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
            }
        }

        package func formField(_ name: String) -> String? {
            formFields.first { $0.0 == name }?.1
        }

        /// The body as a JSON object, or nil.
        package var json: [String: Any]? {
            jsonObject(body)
        }
    }

    /// How to answer one request.
    package enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], delay: Duration = .zero)
        /// Read the request and never answer.
        case hang
        /// Close the connection without answering.
        case close
        /// Send the status and headers (declaring `declaredLength` body bytes) and only `body`,
        /// then close: a connection lost in the middle of the answer.
        case cutOff(status: Int, headers: [(String, String)] = [], body: [UInt8], declaredLength: Int)
        /// Send the status and headers without a length, then each part as its own chunk: an answer
        /// whose size is known only once it has all arrived.
        case chunked(status: Int, headers: [(String, String)] = [], parts: [[UInt8]])
        /// Answer as an HTTP/1.0 server does: no length, the body ended by closing the connection.
        case closeDelimited(status: Int, body: [UInt8])

        package static func text(_ status: Int, _ body: String, contentType: String, headers: [(String, String)] = [], delay: Duration = .zero) -> Reply {
            .respond(status: status, headers: [("Content-Type", contentType)] + headers, body: Array(body.utf8), delay: delay)
        }

        package static func json(_ status: Int, _ body: String, headers: [(String, String)] = [], delay: Duration = .zero) -> Reply {
            .text(status, body, contentType: "application/json", headers: headers, delay: delay)
        }

        package static func xml(_ status: Int, _ body: String, delay: Duration = .zero) -> Reply {
            .text(status, body, contentType: "text/xml; charset=utf-8", delay: delay)
        }
    }

    package typealias Handler = @Sendable (Request) async -> Reply

    private let received = Locked<[Request]>([])
    private let accepted = Locked(0)
    private let ended = Locked(0)
    private let serverTask = Locked<Task<Void, Never>?>(nil)
    private let listener: any Channel
    /// Finishes once every accepted connection has been taken up by the accept loop.
    private let acceptLoopEnded: AsyncStream<Void>
    package let port: Int

    private let scheme: String

    /// Every request received so far, in order.
    package var requests: [Request] { received.withLock { $0 } }

    /// How many connections clients have opened so far.
    package var connectionsAccepted: Int { accepted.withLock { $0 } }

    /// How many of them have ended, closed by either side.
    package var connectionsEnded: Int { ended.withLock { $0 } }

    /// `http://127.0.0.1:PORT`, or `https://` when the server speaks TLS.
    package var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Binds the server and starts answering with `handler`.
    /// - Parameters:
    ///   - tls: When given, connections speak TLS with this certificate and key.
    ///   - http2: With `tls`: the handshake offers HTTP/2 before HTTP/1.1 (ALPN), and the server
    ///     allows `maxConcurrentStreams` requests at once on one connection. It is stricter than
    ///     NIO's default about a client resetting streams: past twenty in half a minute it ends
    ///     the connection with `ENHANCE_YOUR_CALM`. With `goAwayAfter`,
    ///     the request of that number on a connection is preceded by a `GOAWAY`: the client is to
    ///     open no further stream there. With `refuseFrom`, the stream of that number on a
    ///     connection is answered by a `GOAWAY` naming the one before it as the last the server
    ///     serves, as a server does when it stops: that stream and any later one are refused,
    ///     unprocessed, and never reach `handler`. The streams numbered in `resetRefused` are
    ///     reset with `REFUSED_STREAM`, as a server that cannot take them now does.
    package init(
        tls: TestCertificate? = nil, http2: Bool = false, maxConcurrentStreams: Int = 100, goAwayAfter: Int? = nil,
        refuseFrom: Int? = nil, resetRefused: Set<Int> = [], handler: @escaping Handler
    ) async throws {
        precondition(tls != nil || !http2, "HTTP/2 is offered in the TLS handshake")
        let tlsContext = try tls.map { try $0.serverContext(applicationProtocols: http2 ? ["h2", "http/1.1"] : []) }
        scheme = tls == nil ? "http" : "https"
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // A listen queue like a real server's: tests open a few hundred connections at once,
            // and with NIO's default a busy accept loop drops connections the kernel then retries
            // only after a second or more, past the client's connect timeout.
            .serverChannelOption(.backlog, value: 1024)
        let (acceptLoopEnded, acceptLoopEnding) = AsyncStream<Void>.makeStream()
        self.acceptLoopEnded = acceptLoopEnded
        let task: Task<Void, Never>
        if http2 {
            let server = try await bootstrap.bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    let pipeline = child.pipeline.syncOperations
                    if let tlsContext { try pipeline.addHandler(NIOSSLServerHandler(context: tlsContext)) }
                    let negotiation = NIOTypedApplicationProtocolNegotiationHandler<Accepted> { chosen, channel in
                        channel.eventLoop.makeCompletedFuture {
                            guard case .negotiated("h2") = chosen else { return .http1(try Self.http1(channel)) }
                            return try Self.http2(channel, maxConcurrentStreams: maxConcurrentStreams)
                        }
                    }
                    try pipeline.addHandler(negotiation)
                    return negotiation.protocolNegotiationResult
                }
            }
            port = server.channel.localAddress?.port ?? 0
            listener = server.channel
            task = Self.acceptLoop(server, accepted: accepted, ended: ended, ending: acceptLoopEnding) { [received] negotiation in
                // A handshake that failed left nothing to serve.
                guard let connection = try? await negotiation.get() else { return }
                switch connection {
                case .http1(let connection):
                    try? await Self.serve(connection, handler: handler, received: received)
                case .http2(let channel, let streams):
                    await Self.serve(
                        streams, of: channel, goAwayAfter: goAwayAfter, refuseFrom: refuseFrom, resetRefused: resetRefused,
                        handler: handler, received: received
                    )
                }
            }
        } else {
            // The connection is handed over as soon as it is set up: waiting here for a future
            // would cost every connection a hop to a concurrency thread, which the busiest tests
            // keep taken.
            let server = try await bootstrap.bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    if let tlsContext { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext)) }
                    return try Self.http1(child)
                }
            }
            port = server.channel.localAddress?.port ?? 0
            listener = server.channel
            task = Self.acceptLoop(server, accepted: accepted, ended: ended, ending: acceptLoopEnding) { [received] connection in
                try? await Self.serve(connection, handler: handler, received: received)
            }
        }
        serverTask.withLock { $0 = task }
    }

    /// Takes up each connection as it is accepted and serves it in a task of its own, until the
    /// listener closes; counts the connections accepted and ended.
    private static func acceptLoop<Connection: Sendable>(
        _ server: NIOAsyncChannel<Connection, Never>, accepted: Locked<Int>, ended: Locked<Int>,
        ending: AsyncStream<Void>.Continuation, serve: @escaping @Sendable (Connection) async -> Void
    ) -> Task<Void, Never> {
        Task {
            _ = try? await withThrowingDiscardingTaskGroup { group in
                defer { ending.finish() }
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        accepted.withLock { $0 += 1 }
                        group.addTask {
                            await serve(connection)
                            ended.withLock { $0 += 1 }
                        }
                    }
                }
            }
        }
    }

    private typealias RequestChannel = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// A connection once its protocol is settled.
    private enum Accepted: Sendable {
        case http1(RequestChannel)
        case http2(any Channel, NIOHTTP2Handler.AsyncStreamMultiplexer<RequestChannel>)
    }

    private static func http1(_ channel: any Channel) throws -> RequestChannel {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
        return try RequestChannel(wrappingChannelSynchronously: channel)
    }

    private static func http2(_ channel: any Channel, maxConcurrentStreams: Int) throws -> Accepted {
        var configuration = NIOHTTP2Handler.Configuration()
        configuration.connection.initialSettings = [HTTP2Setting(parameter: .maxConcurrentStreams, value: maxConcurrentStreams)]
        configuration.stream.streamResetFrameRateLimit.maximumCount = 20
        let streams = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .server, configuration: configuration) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                return try RequestChannel(wrappingChannelSynchronously: stream)
            }
        }
        return .http2(channel, streams)
    }

    /// Answers each stream of an HTTP/2 connection as it comes, until the connection ends or the
    /// server shuts down, and then closes the connection.
    private static func serve(
        _ streams: NIOHTTP2Handler.AsyncStreamMultiplexer<RequestChannel>, of connection: any Channel, goAwayAfter: Int?,
        refuseFrom: Int?, resetRefused: Set<Int>, handler: @escaping Handler, received: Locked<[Request]>
    ) async {
        _ = try? await withThrowingDiscardingTaskGroup { group in
            var count = 0
            var lastServed = HTTP2StreamID.rootStream
            for try await stream in streams.inbound {
                count += 1
                if count == goAwayAfter {
                    let goAway = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
                    try await connection.writeAndFlush(goAway)
                }
                if let refuseFrom, count >= refuseFrom {
                    if count == refuseFrom {
                        let goAway = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastServed, errorCode: .noError, opaqueData: nil))
                        try await connection.writeAndFlush(goAway)
                    }
                } else if resetRefused.contains(count) {
                    // Written below NIO's translation to HTTP/1 parts, which has no reset of its own.
                    try await stream.channel.eventLoop.submit {
                        let codec = try stream.channel.pipeline.syncOperations.context(handlerType: HTTP2FramePayloadToHTTP1ServerCodec.self)
                        codec.writeAndFlush(NIOAny(HTTP2Frame.FramePayload.rstStream(.refusedStream)), promise: nil)
                    }.get()
                } else {
                    lastServed = try await stream.channel.getOption(HTTP2StreamChannelOptions.streamID).get()
                    group.addTask { try? await serve(stream, handler: handler, received: received) }
                    continue
                }
                // A refused stream, taken and closed unread: NIO stops the process when a stream
                // channel is dropped untaken.
                group.addTask { try? await stream.executeThenClose { _, _ in } }
            }
        }
        try? await connection.close()
    }

    /// Stops listening and drops every connection (hanging answers included).
    ///
    /// The listener is closed first and the accept loop left to take up the connections it had
    /// already accepted: one dropped untaken would end its writer unfinished, which NIO treats as a
    /// programming error and stops the process. Only then are the connections' tasks cancelled.
    package func shutdown() async {
        let task = serverTask.withLock { task in
            defer { task = nil }
            return task
        }
        guard let task else { return }
        try? await listener.close()
        for await _ in acceptLoopEnded {}
        task.cancel()
        await task.value
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, handler: Handler, received: Locked<[Request]>
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { return }
                    let request = Request(
                        method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                        body: Array(buffer: body), version: "\(head.version)"
                    )
                    received.withLock { $0.append(request) }
                    switch await handler(request) {
                    case .hang:
                        // Until the server shuts down (cancellation ends the sleep).
                        try? await Task.sleep(for: .seconds(3600))
                        return
                    case .close:
                        return
                    case .cutOff(let status, let headers, let bytes, let declaredLength):
                        var responseHeaders = HTTPHeaders(headers)
                        responseHeaders.replaceOrAdd(name: "Content-Length", value: String(declaredLength))
                        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)))
                        if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
                        return
                    case .chunked(let status, let headers, let parts):
                        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: HTTPHeaders(headers))))
                        for part in parts { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: part)))) }
                        try await outbound.write(.end(nil))
                    case .closeDelimited(let status, let bytes):
                        try await outbound.write(.head(HTTPResponseHead(version: .http1_0, status: HTTPResponseStatus(statusCode: status))))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                        return
                    case .respond(let status, let headers, let bytes, let delay):
                        if delay > .zero { try await Task.sleep(for: delay) }
                        var responseHeaders = HTTPHeaders(headers)
                        responseHeaders.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
                        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)))
                        if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
                        try await outbound.write(.end(nil))
                    }
                }
            }
        }
    }
}

/// Answers queued by a test, used before a fake's normal behaviour.
package final class ReplyScript: Sendable {
    private let queue = Locked<[FakeHTTPServer.Reply]>([])

    package init() {}

    /// The next `count` requests get `reply`.
    package func enqueue(_ reply: FakeHTTPServer.Reply, count: Int = 1) {
        queue.withLock { $0 += Array(repeating: reply, count: count) }
    }

    func next() -> FakeHTTPServer.Reply? {
        queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}
