package import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
package import NIOSSL
import Synchronization

/// Connections to providers, kept per scheme, host and port.
///
/// An `https` provider that chooses HTTP/2 in the TLS handshake gets one connection that carries
/// many requests at once, one stream each; a further connection opens only when the requests in
/// flight take every stream the provider allows. Requests that come while a host's first
/// connection is being opened wait for it rather than each opening their own. A request the
/// provider turned away unprocessed (a refused stream, or one beyond its `GOAWAY`) is sent again.
///
/// Any other provider gets keep-alive HTTP/1.1 connections, each carrying one request at a time. A
/// request takes the connection its host used last, or opens a new one. The pool keeps at most
/// `maxIdlePerHost` idle connections per host and drops one idle for longer than `idleTimeout`, or
/// than a second less than the server's `Keep-Alive: timeout`, when it next looks at that host.
///
/// How many requests are in flight is bounded in front of the pool (each provider's
/// `max_in_flight`, the webhook workers' concurrency), so the pool never makes a request queue.
package final class HTTPConnectionPool: Sendable {
    private struct IdleConnection {
        var channel: any Channel
        /// When it stops being offered: our idle limit, or earlier when the server said so.
        var expires: NIODeadline
    }

    private struct State {
        var idle: [ConnectionKey: [IdleConnection]] = [:]
        var multiplexed: [ConnectionKey: [HTTP2Connection]] = [:]
        /// A connection being opened to a host that may speak HTTP/2, which later requests wait for.
        var opening: [ConnectionKey: EventLoopFuture<Void>] = [:]
        /// `https` hosts that chose HTTP/1.1: their requests never wait for another's connection.
        var http1Hosts: Set<ConnectionKey> = []
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let group: any EventLoopGroup
    private let maxIdlePerHost: Int
    private let connectTimeout: TimeAmount
    private let idleTimeout: Duration
    private let tls: TLSContextSource
    /// For the requests of providers whose HTTP/2 is turned off.
    private let tlsHTTP1Only: TLSContextSource

    /// - Parameters:
    ///   - maxIdlePerHost: Idle HTTP/1.1 connections kept per host, at least one.
    ///   - connectTimeout: How long connecting (TLS handshake excluded) may take, within the
    ///     request's own deadline: less than the default attempt, so that a host that does not take
    ///     the connection fails as not sent while the send still has time for its next provider.
    ///   - idleTimeout: An idle connection older than this is closed rather than reused.
    ///   - tlsConfiguration: How `https` connections are verified (by default the system's trust
    ///     roots). The pool offers HTTP/2 and HTTP/1.1 in it, unless it names protocols itself.
    package init(
        maxIdlePerHost: Int, connectTimeout: TimeAmount = .seconds(2), idleTimeout: Duration = .seconds(60),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.group = group
        self.maxIdlePerHost = max(1, maxIdlePerHost)
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        var offering = tlsConfiguration
        if offering.applicationProtocols.isEmpty { offering.applicationProtocols = ["h2", "http/1.1"] }
        self.tls = TLSContextSource(configuration: offering)
        var http1Only = tlsConfiguration
        http1Only.applicationProtocols = ["http/1.1"]
        self.tlsHTTP1Only = TLSContextSource(configuration: http1Only)
    }

    /// Sends one request and waits for its answer, its failure, or its deadline.
    /// - Parameter offersHTTP2: For `https`, whether the handshake offers HTTP/2.
    func exchange(
        _ url: TransportURL, offersHTTP2: Bool, head: HTTPRequestHead, body: [UInt8]?, maxResponseBytes: Int, deadline: NIODeadline
    ) async -> TransportResult {
        let key = url.connectionKey(offersHTTP2: offersHTTP2)
        let request = Request(head: head, body: body, maxResponseBytes: maxResponseBytes, deadline: deadline)
        var streamRetriesLeft = Self.streamRetries
        while true {
            switch await connection(for: key, url, deadline: deadline) {
            case .failed(let failure):
                return .failure(failure)
            case .http1(let channel):
                return await exchange(request, on: channel)
            case .stream(let connection):
                let result = await exchange(request, onStreamOf: connection, key: key)
                guard Self.mayRetry(result, before: deadline, retriesLeft: &streamRetriesLeft) else { return result }
            }
        }
    }

    /// What carries a request (a connection of the pool's, or a stream of one), or why none can.
    private enum Carrier {
        case http1(any Channel)
        /// A stream of this HTTP/2 connection, taken for the request.
        case stream(HTTP2Connection)
        case failed(TransportFailure)
    }

    /// A connection for one request: an idle one, a stream of an open one, or one opened now (or
    /// by another request this one waits for). A function of its own, never inlined: what only
    /// opening a connection needs stays out of the frame that waits for the answer, which every
    /// request in flight keeps.
    @inline(never)
    private func connection(for key: ConnectionKey, _ url: TransportURL, deadline: NIODeadline) async -> Carrier {
        while true {
            switch checkOut(key) {
            case .shutDown:
                return .failed(.notSent("the HTTP client is shut down"))
            case .noStreamsAllowed:
                return .failed(.notSent(Self.noStreamsAllowed))
            case .stream(let connection):
                return .stream(connection)
            case .idle(let channel):
                return .http1(channel)
            case .waitFor(let opening):
                do {
                    try await opening.get()
                } catch {
                    return .failed(.notSent(ConnectFailure.describe(error, connectingTo: url)))
                }
                guard deadline > .now() else { return .failed(.notSent("the attempt's time ran out before the request was sent")) }
            case .connect(let opened):
                let connected: NegotiatedConnection
                do {
                    connected = try await connect(key, url, deadline: deadline).get()
                } catch {
                    opened.map { finishOpening(key, $0, .failure(error)) }
                    return .failed(.notSent(ConnectFailure.describe(error, connectingTo: url)))
                }
                switch connected {
                case .http1(let channel):
                    opened.map { finishOpening(key, $0, .success(nil)) }
                    return .http1(channel)
                case .http2(var connection):
                    // Its first stream is this request's, taken before any waiter can look,
                    // unless the provider allows none.
                    let allowsStreams = connection.maxStreams > 0
                    if allowsStreams { connection.openStreams = 1 }
                    if let opened {
                        finishOpening(key, opened, .success(connection))
                    } else {
                        adopt(connection, key: key)
                    }
                    guard allowsStreams else { return .failed(.notSent(Self.noStreamsAllowed)) }
                    return .stream(connection)
                }
            }
        }
    }

    /// A provider whose HTTP/2 connection allows no streams at all (`SETTINGS_MAX_CONCURRENT_STREAMS`
    /// of zero, as an overloaded server may say) is asking for no requests: they fail at once, for
    /// the failover's next provider, rather than each opening a connection and waiting there for
    /// its deadline. The connection stays, to hear when the provider allows streams again, until
    /// it has been idle for the idle time.
    private static let noStreamsAllowed =
        "the provider allows no requests at the moment: its HTTP/2 connection allows no streams (SETTINGS_MAX_CONCURRENT_STREAMS is 0)"

    /// How many more times a request that an HTTP/2 connection turned away unsent is tried on the
    /// pool's connections. A provider refuses streams it will not process (`REFUSED_STREAM`, or
    /// those beyond the last one its `GOAWAY` serves, as when it restarts) so that the client sends
    /// them again; a provider that refuses every stream is not tried without end.
    private static let streamRetries = 2

    /// Whether a stream's request that was not sent goes to the pool again: only while the
    /// attempt has time and its task was not cancelled, and at most `streamRetries` times.
    private static func mayRetry(_ result: TransportResult, before deadline: NIODeadline, retriesLeft: inout Int) -> Bool {
        guard case .failure(.notSent) = result, retriesLeft > 0, deadline > .now(), !Task.isCancelled else { return false }
        retriesLeft -= 1
        return true
    }

    /// Closes every idle connection and refuses new requests. Requests in flight finish, and their
    /// HTTP/1.1 connections close instead of returning to the pool.
    package func shutdown() async {
        let unused = state.withLock { state in
            state.isShutDown = true
            defer { state.idle = [:] }
            // An HTTP/2 connection with streams in flight closes when its last one is answered.
            var unused = state.idle.values.flatMap { $0.map(\.channel) }
            for (key, connections) in state.multiplexed {
                unused += connections.filter { $0.openStreams == 0 }.map(\.channel)
                state.multiplexed[key]!.removeAll { $0.openStreams == 0 }
            }
            return unused
        }
        for channel in unused {
            try? await channel.close()
        }
    }

    private struct Request {
        var head: HTTPRequestHead
        var body: [UInt8]?
        var maxResponseBytes: Int
        var deadline: NIODeadline

        func exchange(answeredOn eventLoop: any EventLoop) -> HTTP1Exchange {
            HTTP1Exchange(head: head, body: body, maxResponseBytes: maxResponseBytes, deadline: deadline, promise: eventLoop.makePromise())
        }
    }

    /// Runs one exchange on `channel`, cancellation included.
    private func exchange(_ request: Request, on channel: any Channel) async -> TransportResult {
        let exchange = request.exchange(answeredOn: channel.eventLoop)
        return await withTaskCancellationHandler {
            Self.hand(exchange, to: channel)
            return await exchange.answer()
        } onCancel: {
            exchange.cancellation.cancel()
            channel.pipeline.fireUserInboundEventTriggered(HTTP1ExchangeCancelled(answer: exchange.promise.futureResult))
        }
    }

    /// Runs one exchange on a stream of its own on `connection`, whose stream this request holds,
    /// and gives the stream back. The stream is opened and the request handed to it in one chain
    /// on the connection's event loop, with a single wait for the answer.
    private func exchange(_ request: Request, onStreamOf connection: HTTP2Connection, key: ConnectionKey) async -> TransportResult {
        let exchange = request.exchange(answeredOn: connection.channel.eventLoop)
        let refusals = connection.refusals
        let stream = connection.multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                let pipeline = stream.pipeline.syncOperations
                try pipeline.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .https))
                try pipeline.addHandler(HTTP1ExchangeHandler(on: .stream(isRefusal: refusals.value.isRefusal)))
            }
        }
        let result = await withTaskCancellationHandler {
            stream.whenComplete { opened in
                switch opened {
                case .success(let stream):
                    Self.hand(exchange, to: stream)
                case .failure(let error):
                    exchange.promise.succeed(.failure(.notSent("no stream could be opened on the connection (\(error))")))
                }
            }
            return await exchange.answer()
        } onCancel: {
            exchange.cancellation.cancel()
            stream.whenSuccess { stream in
                stream.pipeline.fireUserInboundEventTriggered(HTTP1ExchangeCancelled(answer: exchange.promise.futureResult))
            }
        }
        let unused = state.withLock { state -> Bool in
            guard let index = state.multiplexed[key]?.firstIndex(where: { $0.channel === connection.channel }) else { return false }
            state.multiplexed[key]![index].openStreams -= 1
            guard state.isShutDown, state.multiplexed[key]![index].openStreams == 0 else { return false }
            state.multiplexed[key]!.remove(at: index)
            return true
        }
        if unused { connection.channel.close(promise: nil) }
        return result
    }

    /// Gives `exchange` to the handler of `channel`. A connection that closed since it was taken
    /// has no handler left to take it: then only the write's failure tells, and nothing was sent.
    private static func hand(_ exchange: HTTP1Exchange, to channel: any Channel) {
        let handedOver = channel.eventLoop.makePromise(of: Void.self)
        handedOver.futureResult.whenFailure { _ in
            exchange.promise.succeed(.failure(.notSent("the connection closed before the request was written")))
        }
        channel.writeAndFlush(exchange, promise: handedOver)
    }

    private enum CheckOut {
        case stream(HTTP2Connection)
        case idle(any Channel)
        /// Another request opens a connection to the host: try again once it has.
        case waitFor(EventLoopFuture<Void>)
        /// Open a connection; with a promise when later requests wait for it.
        case connect(EventLoopPromise<Void>?)
        /// The provider's HTTP/2 connection allows no streams now.
        case noStreamsAllowed
        case shutDown
    }

    private func checkOut(_ key: ConnectionKey) -> CheckOut {
        let now = NIODeadline.now()
        let (taken, stale) = state.withLock { state -> (CheckOut, [any Channel]) in
            guard !state.isShutDown else { return (.shutDown, []) }
            if !state.multiplexed.isEmpty {
                if let index = state.multiplexed[key]?.firstIndex(where: \.hasRoom) {
                    state.multiplexed[key]![index].openStreams += 1
                    return (.stream(state.multiplexed[key]![index]), [])
                }
                if state.multiplexed[key]?.contains(where: \.allowsNoStreams) == true { return (.noStreamsAllowed, []) }
            }
            // In place: a copy of the list out of the dictionary would make every take and release
            // copy the whole list, which holds as many connections as were ever in flight at once.
            let (idle, stale) = Self.takeNewest(from: &state.idle[key, default: []], now: now)
            if let idle { return (.idle(idle), stale) }
            guard key.offersHTTP2, !state.http1Hosts.contains(key) else { return (.connect(nil), stale) }
            if let opening = state.opening[key] { return (.waitFor(opening), stale) }
            let opened = group.next().makePromise(of: Void.self)
            state.opening[key] = opened.futureResult
            return (.connect(opened), stale)
        }
        for channel in stale { channel.close(promise: nil) }
        return taken
    }

    /// Ends the opening of a host's connection that later requests wait for: an HTTP/2 connection
    /// joins the pool first, so they find its streams; a failure is theirs too.
    private func finishOpening(_ key: ConnectionKey, _ opened: EventLoopPromise<Void>, _ result: Result<HTTP2Connection?, any Error>) {
        state.withLock { state in
            state.opening[key] = nil
            switch result {
            case .success(let connection?): state.multiplexed[key, default: []].append(connection)
            case .success(nil): state.http1Hosts.insert(key)
            case .failure: break
            }
        }
        opened.completeWith(result.map { _ in () })
    }

    private func adopt(_ connection: HTTP2Connection, key: ConnectionKey) {
        state.withLock { state in state.multiplexed[key, default: []].append(connection) }
    }

    /// What an HTTP/2 connection's frames said.
    private func heard(_ news: HTTP2ConnectionWatcher.News, from channel: any Channel, key: ConnectionKey) {
        let close = state.withLock { state -> Bool in
            let index = state.multiplexed[key]?.firstIndex { $0.channel === channel }
            switch news {
            case .maxStreams(let limit):
                if let index { state.multiplexed[key]![index].maxStreams = limit }
                return false
            case .goingAway:
                // Its streams in flight finish; new ones go elsewhere.
                if let index { state.multiplexed[key]!.remove(at: index) }
                return false
            case .failed:
                // Nothing more will be answered on it: the streams in flight fail now, not at their deadline.
                if let index { state.multiplexed[key]!.remove(at: index) }
                return true
            case .idle:
                // One the pool no longer offers (after a `GOAWAY`) has nothing left to wait for.
                guard let index else { return true }
                guard state.multiplexed[key]![index].openStreams == 0 else { return false }
                state.multiplexed[key]!.remove(at: index)
                return true
            }
        }
        if close { channel.close(promise: nil) }
    }

    /// The newest live connection of `connections`, and the connections found expired or closed on
    /// the way, which leave the list.
    private static func takeNewest(from connections: inout [IdleConnection], now: NIODeadline) -> ((any Channel)?, [any Channel]) {
        var stale: [any Channel] = []
        // The oldest are first: they are the ones most likely to have waited too long.
        let expired = connections.prefix { $0.expires <= now }.count
        if expired > 0 {
            stale = connections[..<expired].map(\.channel)
            connections.removeFirst(expired)
        }
        while let newest = connections.popLast() {
            if newest.channel.isActive, newest.expires > now {
                return (newest.channel, stale)
            }
            stale.append(newest.channel)
        }
        return (nil, stale)
    }

    /// Called on a connection's event loop when its answer left it ready for another request.
    /// - Parameter serverTimeout: How long the server said it keeps an idle connection, if it said.
    private func release(_ channel: any Channel, key: ConnectionKey, serverTimeout: Duration?) {
        let keep = KeepAliveTimeout.keep(ourLimit: idleTimeout, announced: serverTimeout)
        let kept = state.withLock { state -> Bool in
            guard !state.isShutDown, channel.isActive, keep > .zero else { return false }
            guard state.idle[key, default: []].count < maxIdlePerHost else { return false }
            state.idle[key, default: []].append(IdleConnection(channel: channel, expires: .now() + TimeAmount(keep)))
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    /// Forgets a connection that closed.
    private func forget(_ channel: any Channel, key: ConnectionKey) {
        state.withLock { state in
            state.idle[key]?.removeAll { $0.channel === channel }
            state.multiplexed[key]?.removeAll { $0.channel === channel }
        }
    }

    /// Opens a connection and, for `https`, waits for the protocol the provider chose. One future
    /// from start to end: each hop back to a concurrency thread can wait behind busy ones.
    private func connect(_ key: ConnectionKey, _ url: TransportURL, deadline: NIODeadline) -> EventLoopFuture<NegotiatedConnection> {
        // The promise is made before the connection exists, so the connection must use its loop.
        let eventLoop = group.next()
        // The caller checked that some time is left; the exchange's own timer ends it at the deadline.
        let timeLeft = max(deadline - .now(), .milliseconds(1))
        let sslContext: NIOSSLContext?
        do {
            sslContext = url.isSecure ? try (key.offersHTTP2 ? tls : tlsHTTP1Only).context() : nil
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let negotiated = eventLoop.makePromise(of: NegotiatedConnection.self)
        // An address needs no resolver; a name goes through NIO's, which tries IPv6 and IPv4.
        let address = try? SocketAddress(ipAddress: url.host, port: url.port)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(min(connectTimeout, timeLeft))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    channel.closeFuture.whenComplete { [self] _ in forget(channel, key: key) }
                    let pipeline = channel.pipeline.syncOperations
                    guard let sslContext else {
                        try addHTTP1Handlers(to: channel, key: key)
                        negotiated.succeed(.http1(channel))
                        return
                    }
                    // SNI names a host, never an address.
                    let serverName = address == nil ? url.host : nil
                    try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    // Nothing else bounds the handshake: no request is written before it ends.
                    let timeout = channel.eventLoop.scheduleTask(deadline: deadline) {
                        negotiated.fail(HandshakeTimeout())
                        channel.close(promise: nil)
                    }
                    negotiated.futureResult.whenComplete { _ in timeout.cancel() }
                    try pipeline.addHandler(ProtocolNegotiation(negotiated: negotiated) { [self] channel, chosen in
                        guard chosen == "h2" else {
                            try addHTTP1Handlers(to: channel, key: key)
                            return channel.eventLoop.makeSucceededFuture(.http1(channel))
                        }
                        return try addHTTP2Handlers(to: channel, key: key)
                    })
                }
            }
        let connected =
            if let address {
                bootstrap.connect(to: address)
            } else {
                bootstrap.connect(host: url.host, port: url.port)
            }
        connected.whenFailure { negotiated.fail($0) }
        return connected.flatMap { _ in negotiated.futureResult }
    }

    private func addHTTP1Handlers(to channel: any Channel, key: ConnectionKey) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHTTPClientHandlers()
        try pipeline.addHandler(HTTP1ExchangeHandler(on: .connection { [self] in release($0, key: key, serverTimeout: $1) }))
    }

    /// By default NIO ends a connection whose peer resets many streams in a short time: a defence
    /// for servers against clients that open and reset streams. A server that answers before
    /// reading the whole request resets the stream after its answer (nginx does, for any answer it
    /// gives without reading the body, a `429` from a rate limit among them), so a busy provider
    /// would pass NIO's limit in seconds and lose its connection.
    private static let streamConfiguration: NIOHTTP2Handler.StreamConfiguration = {
        var configuration = NIOHTTP2Handler.StreamConfiguration()
        configuration.streamResetFrameRateLimit.maximumCount = 100_000
        configuration.streamResetFrameRateLimit.windowLength = .seconds(1)
        return configuration
    }()

    private func addHTTP2Handlers(to channel: any Channel, key: ConnectionKey) throws -> EventLoopFuture<NegotiatedConnection> {
        let pipeline = channel.pipeline.syncOperations
        // A provider has nothing to push: a stream it opens is closed unread.
        let multiplexer = try pipeline.configureHTTP2Pipeline(
            mode: .client, connectionConfiguration: .init(), streamConfiguration: Self.streamConfiguration
        ) { pushed in pushed.close() }
        try pipeline.addHandler(IdleStateHandler(allTimeout: TimeAmount(idleTimeout)))
        let ready = channel.eventLoop.makePromise(of: Int.self)
        let watcher = HTTP2ConnectionWatcher(ready: ready) { [self] channel, news in heard(news, from: channel, key: key) }
        try pipeline.addHandler(watcher)
        let refusals = NIOLoopBound(watcher, eventLoop: channel.eventLoop)
        return ready.futureResult.map { maxStreams in
            .http2(HTTP2Connection(channel: channel, multiplexer: multiplexer, refusals: refusals, maxStreams: maxStreams))
        }
    }
}

/// An `https` connection whose handshake, or HTTP/2's first `SETTINGS`, had not come by the deadline.
private struct HandshakeTimeout: Error, CustomStringConvertible {
    var description: String { "the TLS handshake did not finish before the attempt's time ran out" }
}

/// The TLS context for `https` providers, made on first use: loading the trust roots costs, and a
/// daemon with only `http` providers never needs them.
private final class TLSContextSource: Sendable {
    private let configuration: TLSConfiguration
    private let made = Mutex<NIOSSLContext?>(nil)

    init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    func context() throws -> NIOSSLContext {
        try made.withLock { made in
            if let made { return made }
            let context = try NIOSSLContext(configuration: configuration)
            made = context
            return context
        }
    }
}
