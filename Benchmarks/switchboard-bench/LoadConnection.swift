import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardProviders

/// A request of the load generator, its head and body built before it is sent.
struct LoadRequest {
    var head: HTTPRequestHead
    var body: ByteBuffer?

    /// A request to `target`'s host with the headers every one carries; `path`, when there is one,
    /// follows the URL's own path, else the request goes to the URL as it is.
    init(
        _ method: HTTPMethod, _ path: String = "", to target: TransportURL, contentType: String? = nil, authorization: String? = nil,
        body: String? = nil
    ) {
        let base = target.target.hasSuffix("/") ? String(target.target.dropLast()) : target.target
        head = HTTPRequestHead(version: .http1_1, method: method, uri: path.isEmpty ? target.target : base + path)
        head.headers.add(name: "Host", value: target.hostHeader)
        if let contentType { head.headers.add(name: "Content-Type", value: contentType) }
        if let authorization { head.headers.add(name: "Authorization", value: authorization) }
        self.body = body.map { ByteBuffer(string: $0) }
        if method == .POST { head.headers.add(name: "Content-Length", value: String(self.body?.readableBytes ?? 0)) }
    }

    /// Writes the request on `channel`, whose pipeline has NIO's HTTP client handlers.
    func write(on channel: any Channel) {
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }
}

extension TransportURL {
    struct NotPlainHTTP: Error, CustomStringConvertible {
        var description: String
    }

    /// A load generator's target, given as `option`: an `http://` URL (the generators do not speak TLS).
    static func plainHTTP(_ url: String, option: String) throws -> TransportURL {
        let target: TransportURL
        do { target = try TransportURL(parsing: url) } catch { throw NotPlainHTTP(description: "\(option): \(error)") }
        guard !target.isSecure else { throw NotPlainHTTP(description: "\(option) must be an http:// URL; the generator does not speak TLS: \(url)") }
        return target
    }
}

/// What came back: the status and the whole body.
struct LoadAnswer {
    var status: Int
    var body: ByteBuffer
}

/// One keep-alive HTTP/1.1 connection of the load generator, carrying one exchange at a time, all
/// on the generator's event loop: no request hops to another thread and back, so the generator
/// takes as little of the machine's CPU as it can from the daemon it measures. Opened on the first
/// exchange, and again on the next one after the server closed it.
final class LoadConnection {
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the connection closed before the answer ended" }
    }

    let target: TransportURL
    private let loop: any EventLoop
    /// The open connection and its reader: a reader of its own for each connection, so that one
    /// closing late cannot fail the exchange its successor carries.
    private var open: (channel: any Channel, reader: AnswerReader)?

    init(to target: TransportURL, on loop: any EventLoop) {
        self.target = target
        self.loop = loop
    }

    /// Sends `request` and hands its answer, or why none came, to `reply`.
    func exchange(_ request: LoadRequest, reply: @escaping (Result<LoadAnswer, any Error>) -> Void) {
        if let open, open.channel.isActive {
            send(request, on: open, reply: reply)
            return
        }
        let reader = AnswerReader()
        let bound = NIOLoopBound(reader, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(bound.value)
                }
            }
            .connect(host: target.host, port: target.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.open = (channel, reader)
                    self.send(request, on: (channel, reader), reply: reply)
                case .failure(let error):
                    reply(.failure(error))
                }
            }
    }

    func close() {
        open?.channel.close(promise: nil)
        open = nil
    }

    private func send(
        _ request: LoadRequest, on open: (channel: any Channel, reader: AnswerReader), reply: @escaping (Result<LoadAnswer, any Error>) -> Void
    ) {
        open.reader.reply = reply
        request.write(on: open.channel)
    }
}

/// Reads one answer at a time and hands it to the exchange waiting for it.
private final class AnswerReader: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    var reply: ((Result<LoadAnswer, any Error>) -> Void)?
    private var status = 0
    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            let reply = self.reply
            self.reply = nil
            reply?(.success(LoadAnswer(status: status, body: body)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reply = self.reply
        self.reply = nil
        reply?(.failure(LoadConnection.Closed()))
    }
}
