import NIOCore
import NIOPosix

/// A TCP proxy on a loopback port in front of a real server (the tests' PostgreSQL), that a test
/// cuts and restores: cut, every connection through it ends and new ones are refused, as when the
/// server stops or the network to it fails; restored, it listens on the same port again.
package final class SeverableProxy: Sendable {
    /// The port clients connect to, the same across cuts.
    package let port: Int
    private let upstreamHost: String
    private let upstreamPort: Int
    private let group: any EventLoopGroup
    /// The listener (`nil` while cut) and every connection through the proxy, both sides.
    private let channels = Locked<(listener: (any Channel)?, connections: [ObjectIdentifier: any Channel])>((nil, [:]))

    /// Listens on a port the system picks, in front of `upstreamHost:upstreamPort`.
    package init(upstreamHost: String, upstreamPort: Int) async throws {
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        group = MultiThreadedEventLoopGroup.singleton
        let listener = try await Self.listen(on: 0, upstreamHost: upstreamHost, upstreamPort: upstreamPort, channels: channels, group: group)
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

    /// Listens again on the same port.
    package func restore() async throws {
        let listener = try await Self.listen(on: port, upstreamHost: upstreamHost, upstreamPort: upstreamPort, channels: channels, group: group)
        channels.withLock { $0.listener = listener }
    }

    private static func listen(
        on port: Int, upstreamHost: String, upstreamPort: Int,
        channels: Locked<(listener: (any Channel)?, connections: [ObjectIdentifier: any Channel])>, group: any EventLoopGroup
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
                        return inbound.pipeline.addHandler(Relay(to: outbound)).flatMap {
                            outbound.pipeline.addHandler(Relay(to: inbound))
                        }
                    }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
    }

    /// Passes what one side reads to the other, and closes the other when this side closes.
    private final class Relay: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private let partner: any Channel

        init(to partner: any Channel) {
            self.partner = partner
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            partner.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            partner.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
