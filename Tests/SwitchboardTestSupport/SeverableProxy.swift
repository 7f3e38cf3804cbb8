import NIOCore
import NIOPosix

/// A TCP proxy on a loopback port in front of a real server (the tests' PostgreSQL), that a test
/// cuts, silences or strands and restores: cut, every connection through it ends and new ones are
/// refused, as when the server stops; silenced, connections stay open and new ones are taken, but
/// nothing passes either way, as when the network to the server drops every packet; stranded, the
/// connections open then pass nothing while new ones pass everything, as when a firewall or NAT on
/// the way forgets its connections; restored, it listens on the same port again.
package final class SeverableProxy: Sendable {
    /// The port clients connect to, the same across cuts.
    package let port: Int
    private let upstreamHost: String
    private let upstreamPort: Int
    private let group: any EventLoopGroup
    /// The listener (`nil` while cut) and every connection through the proxy, both sides.
    private let channels = Locked<(listener: (any Channel)?, connections: [ObjectIdentifier: any Channel])>((nil, [:]))
    /// Whatever either side sends is dropped while this holds.
    private let silent = Locked(false)
    /// Whatever either side of these connections sends is dropped.
    private let stranded = Locked<Set<ObjectIdentifier>>([])

    /// Listens on a port the system picks, in front of `upstreamHost:upstreamPort`.
    package init(upstreamHost: String, upstreamPort: Int) async throws {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        group = MultiThreadedEventLoopGroup.singleton
        let listener = try await Self.listen(
            on: 0, upstreamHost: upstreamHost, upstreamPort: upstreamPort, channels: channels, silent: silent, stranded: stranded, group: group
        )
        port = listener.localAddress?.port ?? 0
        channels.withLock { $0.listener = listener }
    }

    /// Ends every connection through the proxy and stops listening: connecting is refused.
    package func cut() async throws {
        let (listener, connections) = channels.withLock { state in
            defer { state = (nil, [:]) }
            return (state.listener, Array(state.connections.values))
        }
        try await listener?.close()
        for connection in connections { try? await connection.close() }
    }

    /// Drops whatever either side of any connection sends, and whatever new connections send:
    /// connecting still succeeds, as the client's system cannot tell, and then nothing is heard.
    package func silence() {
        silent.withLock { $0 = true }
    }

    /// Drops whatever either side of the connections open now sends; connections made from now on
    /// pass as before.
    package func strand() {
        let open = channels.withLock { Set($0.connections.keys) }
        stranded.withLock { $0.formUnion(open) }
    }

    /// Passes bytes again, after ending every connection that lost some while silent or stranded;
    /// listens again on the same port after a cut.
    package func restore() async throws {
        let wasSilent = silent.withLock { state in
            defer { state = false }
            return state
        }
        let wereStranded = stranded.withLock { state in
            defer { state = [] }
            return !state.isEmpty
        }
        if wasSilent || wereStranded {
            let connections = channels.withLock { state in
                defer { state.connections = [:] }
                return Array(state.connections.values)
            }
            for connection in connections { try? await connection.close() }
        }
        guard channels.withLock({ $0.listener }) == nil else { return }
        let listener = try await Self.listen(
            on: port, upstreamHost: upstreamHost, upstreamPort: upstreamPort, channels: channels, silent: silent, stranded: stranded, group: group
        )
        channels.withLock { $0.listener = listener }
    }

    private static func listen(
        on port: Int, upstreamHost: String, upstreamPort: Int,
        channels: Locked<(listener: (any Channel)?, connections: [ObjectIdentifier: any Channel])>, silent: Locked<Bool>,
        stranded: Locked<Set<ObjectIdentifier>>, group: any EventLoopGroup
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: upstreamHost, port: upstreamPort)
                    .flatMap { outbound in
                        channels.withLock { state in
                            state.connections[ObjectIdentifier(inbound)] = inbound
                            state.connections[ObjectIdentifier(outbound)] = outbound
                        }
                        return inbound.pipeline.addHandler(Relay(to: outbound, unless: silent, stranded: stranded)).flatMap {
                            outbound.pipeline.addHandler(Relay(to: inbound, unless: silent, stranded: stranded))
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
    }

    /// Passes what one side reads to the other unless the proxy is silent or the connection
    /// stranded, and closes the other when this side closes, unless stranded.
    private final class Relay: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private let partner: any Channel
        private let silent: Locked<Bool>
        private let stranded: Locked<Set<ObjectIdentifier>>

        init(to partner: any Channel, unless silent: Locked<Bool>, stranded: Locked<Set<ObjectIdentifier>>) {
            self.partner = partner
            self.silent = silent
            self.stranded = stranded
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !silent.withLock({ $0 }), !stranded.withLock({ $0.contains(ObjectIdentifier(context.channel)) }) else { return }
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            // A stranded connection's client hears nothing, not even that the server ended it.
            if !stranded.withLock({ $0.contains(ObjectIdentifier(context.channel)) }) { partner.close(promise: nil) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
