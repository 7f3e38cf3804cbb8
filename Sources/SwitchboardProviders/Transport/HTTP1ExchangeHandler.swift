import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// One request handed to a pooled connection, and where its answer goes.
struct HTTP1Exchange: Sendable {
    var head: HTTPRequestHead
    var body: [UInt8]?
    var maxResponseBytes: Int
    var deadline: NIODeadline
    /// Always succeeds: with the answer, or with why there is none.
    var promise: EventLoopPromise<TransportResult>
    /// Set when the task waiting for the answer is cancelled.
    var cancellation = HTTP1ExchangeCancellation()

    /// Waits for the answer, or for why there is none.
    func answer() async -> TransportResult {
        // The promise only ever succeeds.
        (try? await promise.futureResult.get()) ?? .failure(.maybeSent("the exchange ended without a result"))
    }
}

/// Whether the task waiting for an exchange was cancelled. The handler looks when it takes the
/// exchange: a cancellation that came before the request was written ends it there, unsent (the
/// ``HTTP1ExchangeCancelled`` event sent on cancellation may reach the connection before the
/// exchange does, and then finds nothing running).
final class HTTP1ExchangeCancellation: Sendable {
    private let cancelled = Atomic(false)

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() {
        cancelled.store(true, ordering: .releasing)
    }
}

/// The task waiting for an exchange's answer was cancelled: the exchange whose answer this is
/// ends, and its connection closes (the rest of its answer could not be told from the next one's).
struct HTTP1ExchangeCancelled: Sendable {
    var answer: EventLoopFuture<TransportResult>
}

/// Runs one exchange at a time on an HTTP/1.1 connection, or on an HTTP/2 stream through NIO's
/// translation to HTTP/1 parts: writes the request, reads the answer within its size limit and
/// deadline, and hands the connection back to its pool when it may carry another request. It
/// tells an exchange that failed before the whole request was written (nothing reached the
/// provider) from one that failed after (the provider may have acted on it).
final class HTTP1ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTP1Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private struct Running {
        var exchange: HTTP1Exchange
        var written = false
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        /// A `1xx` head was read: its end is not the answer's.
        var informational = false
    }

    private var running: Running?
    /// Ends the running exchange at its deadline. It stays armed when an exchange ends, and the
    /// next one keeps it while their deadline is no earlier, so most exchanges on a kept
    /// connection schedule and cancel no timer of their own (cancelling one searches the event
    /// loop's every timer). When it fires it ends an exchange whose deadline passed, or re-arms for
    /// the running one's.
    private var timer: (at: NIODeadline, task: Scheduled<Void>)?
    /// What the handler runs on.
    enum Carrier {
        /// An HTTP/1.1 connection. `release` is called on the event loop when an answer left it
        /// ready for the next request, with how long the server said it keeps an idle connection,
        /// if it said.
        case connection(release: @Sendable (any Channel, Duration?) -> Void)
        /// An HTTP/2 stream, which carries one exchange. `isRefusal` tells whether an error that
        /// ended it says the provider refused the request unprocessed.
        case stream(isRefusal: (any Error) -> Bool)
    }

    private let carrier: Carrier

    init(on carrier: Carrier) {
        self.carrier = carrier
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        promise?.succeed()
        guard running == nil, context.channel.isActive else {
            exchange.promise.succeed(.failure(.notSent("the connection closed before the request was written")))
            return
        }
        guard !exchange.cancellation.isCancelled else {
            exchange.promise.succeed(.failure(.notSent("cancelled before the request was written")))
            // Taken from the pool for this exchange; rare enough to close rather than hand back.
            context.close(promise: nil)
            return
        }
        running = Running(exchange: exchange)
        armTimer(context: context)
        // The exchange's answer names it in callbacks that may come after it ended.
        let answer = exchange.promise.futureResult
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { result in
            handler.value.requestWritten(result, answer, context: boundContext.value)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let limit = running?.exchange.maxResponseBytes else {
            // Bytes no request asked for: the connection can no longer be trusted.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if (100..<200).contains(head.status.code), head.status != .switchingProtocols {
                running?.informational = true
                return
            }
            // Refuse a declared oversize answer before reading a byte of it.
            if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
                finish(.failure(.tooLarge(status: Int(head.status.code), limit: limit)), reuse: .no, context: context)
                return
            }
            running?.head = head
        case .body(var part):
            guard running?.informational == false else { return }
            if (running?.body?.readableBytes ?? 0) + part.readableBytes > limit {
                let status = running?.head.map { Int($0.status.code) } ?? 0
                finish(.failure(.tooLarge(status: status, limit: limit)), reuse: .no, context: context)
                return
            }
            if running?.body == nil {
                running?.body = part
            } else {
                running?.body?.writeBuffer(&part)
            }
        case .end:
            if running?.informational == true {
                running?.informational = false
                return
            }
            guard let run = running, let head = run.head else {
                finish(.failure(.maybeSent("the provider's answer ended before its status line")), reuse: .no, context: context)
                return
            }
            let response = TransportResponse(
                status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) },
                body: run.body.map { Array(buffer: $0) } ?? []
            )
            let reuse: Reuse =
                switch carrier {
                case .stream: run.written ? .endsItself : .no
                case .connection where head.isKeepAlive && run.written:
                    .yes(serverTimeout: KeepAliveTimeout.announced(in: head.headers["keep-alive"]))
                case .connection: .no
                }
            finish(.response(response), reuse: reuse, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(context: context, because: "the connection closed")
        timer?.task.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let cancelled = event as? HTTP1ExchangeCancelled else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // The connection may already carry another caller's exchange.
        guard isRunning(cancelled.answer) else { return }
        fail(context: context, because: "cancelled")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer that closes without saying so first: whether the answer was whole is decided
        // when the connection ends (a close-delimited answer ends there).
        if let tlsError = error as? NIOSSLError, case .uncleanShutdown = tlsError { return }
        // However much of the request was written, a provider that refused it processed none of it.
        if case .stream(let isRefusal) = carrier, isRefusal(error) {
            finish(.failure(.notSent(Self.refused)), reuse: .no, context: context)
        } else {
            fail(context: context, because: String(describing: error))
        }
        context.close(promise: nil)
    }

    private static let refused = "the provider did not process the request: it refused its HTTP/2 stream, or went away (GOAWAY) before it"

    private func requestWritten(_ result: Result<Void, any Error>, _ answer: EventLoopFuture<TransportResult>, context: ChannelHandlerContext) {
        guard isRunning(answer) else { return }
        switch result {
        case .success:
            running?.written = true
        case .failure(let error):
            fail(context: context, because: "writing failed (\(error))")
            context.close(promise: nil)
        }
    }

    /// Makes sure the timer fires no later than the running exchange's deadline.
    private func armTimer(context: ChannelHandlerContext) {
        guard let deadline = running?.exchange.deadline else { return }
        if let timer, timer.at <= deadline { return }
        timer?.task.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = (deadline, context.eventLoop.scheduleTask(deadline: deadline) { handler.value.timerFired(context: boundContext.value) })
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        guard let deadline = running?.exchange.deadline else { return }
        guard deadline <= .now() else {
            armTimer(context: context)
            return
        }
        fail(context: context, because: "the attempt's time ran out")
        context.close(promise: nil)
    }

    /// Whether the exchange whose answer this is still runs here.
    private func isRunning(_ answer: EventLoopFuture<TransportResult>) -> Bool {
        running?.exchange.promise.futureResult === answer
    }

    /// Ends the running exchange, if any, without an answer: the request may have reached the
    /// provider only if it was written in full.
    private func fail(context: ChannelHandlerContext, because reason: String) {
        guard let run = running else { return }
        let failure: TransportFailure =
            run.written ? .maybeSent("\(reason) after the request was sent, before its answer") : .notSent("\(reason) before the request was sent")
        finish(.failure(failure), reuse: .no, context: context)
    }

    private enum Reuse {
        case yes(serverTimeout: Duration?)
        /// An HTTP/2 stream both sides have ended: closing it would reset it, a frame servers
        /// count against the client and stop answering past a limit.
        case endsItself
        case no
    }

    private func finish(_ result: TransportResult, reuse: Reuse, context: ChannelHandlerContext) {
        guard let run = running else { return }
        running = nil
        // Back in the pool before the caller resumes, so its next request can take this connection.
        switch reuse {
        case .yes(let serverTimeout): if case .connection(let release) = carrier { release(context.channel, serverTimeout) }
        case .endsItself: break
        case .no: context.close(promise: nil)
        }
        run.exchange.promise.succeed(result)
    }
}
