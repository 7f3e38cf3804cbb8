package import NIOCore
import NIOHTTP1
import NIOPosix
package import NIOSSL
import Synchronization

/// Keep-alive HTTP/1.1 connections to providers, kept per scheme, host and port, each carrying one
/// request at a time. A request takes the connection its host used last, or opens a new one: how
/// many requests are in flight is bounded in front of the pool (each provider's `max_in_flight`,
/// the webhook workers' concurrency), so the pool never makes a request wait. It keeps at most
/// `maxIdlePerHost` idle connections per host and drops one idle for longer than `idleTimeout`, or
/// than a second less than the server's `Keep-Alive: timeout`, when it next looks at that host.
package final class HTTP1ConnectionPool: Sendable {
    private struct IdleConnection {
        var channel: any Channel
        /// When it stops being offered: our idle limit, or earlier when the server said so.
        var expires: NIODeadline
    }

    private struct State {
        var idle: [ConnectionKey: [IdleConnection]] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let group: any EventLoopGroup
    private let maxIdlePerHost: Int
    private let connectTimeout: TimeAmount
    private let idleTimeout: Duration
    private let tls: TLSContextSource

    /// - Parameters:
    ///   - maxIdlePerHost: Idle connections kept per host, at least one.
    ///   - connectTimeout: How long connecting (TLS handshake excluded) may take, within the
    ///     request's own deadline: less than the default attempt, so that a host that does not take
    ///     the connection fails as not sent while the send still has time for its next provider.
    ///   - idleTimeout: An idle connection older than this is closed rather than reused.
    ///   - tlsConfiguration: How `https` connections are verified (by default the system's trust roots).
    package init(
        maxIdlePerHost: Int, connectTimeout: TimeAmount = .seconds(2), idleTimeout: Duration = .seconds(60),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.group = group
        self.maxIdlePerHost = max(1, maxIdlePerHost)
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.tls = TLSContextSource(configuration: tlsConfiguration)
    }

    /// Sends one request and waits for its answer, its failure, or its deadline.
    func exchange(
        _ url: TransportURL, head: HTTPRequestHead, body: [UInt8]?, maxResponseBytes: Int, deadline: NIODeadline
    ) async -> TransportResult {
        let channel: any Channel
        switch takeIdle(url.connectionKey) {
        case .shutDown:
            return .failure(.notSent("the HTTP client is shut down"))
        case .idle(let idle):
            channel = idle
        case .none:
            do {
                channel = try await connect(url, deadline: deadline).get()
            } catch {
                return .failure(.notSent(ConnectFailure.describe(error, connectingTo: url)))
            }
        }
        let promise = channel.eventLoop.makePromise(of: TransportResult.self)
        let exchange = HTTP1Exchange(head: head, body: body, maxResponseBytes: maxResponseBytes, deadline: deadline, promise: promise)
        // A connection that closed since it was taken has no handler left to take the exchange:
        // then only the write's failure tells, and nothing was sent.
        let handedOver = channel.eventLoop.makePromise(of: Void.self)
        handedOver.futureResult.whenFailure { _ in
            promise.succeed(.failure(.notSent("the connection closed before the request was written")))
        }
        return await withTaskCancellationHandler {
            channel.writeAndFlush(exchange, promise: handedOver)
            // The promise only ever succeeds.
            return (try? await promise.futureResult.get()) ?? .failure(.maybeSent("the exchange ended without a result"))
        } onCancel: {
            exchange.cancellation.cancel()
            channel.pipeline.fireUserInboundEventTriggered(HTTP1ExchangeCancelled(answer: promise.futureResult))
        }
    }

    /// Closes every idle connection and refuses new requests. Requests in flight finish, and their
    /// connections close instead of returning to the pool.
    package func shutdown() async {
        let idle = state.withLock { state in
            state.isShutDown = true
            defer { state.idle = [:] }
            return state.idle.values.flatMap { $0 }
        }
        for connection in idle {
            try? await connection.channel.close()
        }
    }

    private enum Taken {
        case idle(any Channel)
        case none
        case shutDown
    }

    private func takeIdle(_ key: ConnectionKey) -> Taken {
        let now = NIODeadline.now()
        let (taken, stale) = state.withLock { state -> (Taken, [any Channel]) in
            guard !state.isShutDown else { return (.shutDown, []) }
            // In place: a copy of the list out of the dictionary would make every take and release
            // copy the whole list, which holds as many connections as were ever in flight at once.
            return Self.takeNewest(from: &state.idle[key, default: []], now: now)
        }
        for channel in stale { channel.close(promise: nil) }
        return taken
    }

    /// The newest live connection of `connections`, and the connections found expired or closed on
    /// the way, which leave the list.
    private static func takeNewest(from connections: inout [IdleConnection], now: NIODeadline) -> (Taken, [any Channel]) {
        var stale: [any Channel] = []
        // The oldest are first: they are the ones most likely to have waited too long.
        let expired = connections.prefix { $0.expires <= now }.count
        if expired > 0 {
            stale = connections[..<expired].map(\.channel)
            connections.removeFirst(expired)
        }
        while let newest = connections.popLast() {
            if newest.channel.isActive, newest.expires > now {
                return (.idle(newest.channel), stale)
            }
            stale.append(newest.channel)
        }
        return (.none, stale)
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

    /// Forgets a connection that closed while idle.
    private func forget(_ channel: any Channel, key: ConnectionKey) {
        state.withLock { state in
            state.idle[key]?.removeAll { $0.channel === channel }
        }
    }

    private func connect(_ url: TransportURL, deadline: NIODeadline) -> EventLoopFuture<any Channel> {
        let key = url.connectionKey
        // The caller checked that some time is left; the exchange's own timer ends it at the deadline.
        let timeLeft = max(deadline - .now(), .milliseconds(1))
        let sslContext: NIOSSLContext?
        do {
            sslContext = url.isSecure ? try tls.context() : nil
        } catch {
            return group.next().makeFailedFuture(error)
        }
        // An address needs no resolver; a name goes through NIO's, which tries IPv6 and IPv4.
        let address = try? SocketAddress(ipAddress: url.host, port: url.port)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(min(connectTimeout, timeLeft))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        // SNI names a host, never an address.
                        let serverName = address == nil ? url.host : nil
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(HTTP1ExchangeHandler { [self] in release($0, key: key, serverTimeout: $1) })
                }
            }
        let future =
            if let address {
                bootstrap.connect(to: address)
            } else {
                bootstrap.connect(host: url.host, port: url.port)
            }
        future.whenSuccess { [self] channel in
            channel.closeFuture.whenComplete { [self] _ in forget(channel, key: key) }
        }
        return future
    }
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
