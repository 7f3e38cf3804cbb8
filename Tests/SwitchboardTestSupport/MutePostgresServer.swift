import NIOCore
import NIOPosix

/// A server on a loopback port that takes PostgreSQL connections (anyone in, no password, no TLS)
/// and then answers no statement: a server hung after accepting connections, or a network that
/// went silent between a connection's start and its first statement.
package final class MutePostgresServer: Sendable {
    package let port: Int
    private let listener: any Channel

    package init() async throws {
        listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.pipeline.addHandler(StartThenSilence()) }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = listener.localAddress?.port ?? 0
    }

    package func close() async throws {
        try await listener.close()
    }

    /// Answers the first thing a client sends, its start-up message, with "authenticated, ready for
    /// a statement", and nothing after it.
    private final class StartThenSilence: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var started = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !started else { return }
            started = true
            var answer = context.channel.allocator.buffer(capacity: 28)
            // AuthenticationOk: 'R', length 8, code 0.
            answer.writeInteger(UInt8(ascii: "R"))
            answer.writeInteger(Int32(8))
            answer.writeInteger(Int32(0))
            // BackendKeyData: 'K', length 12, a process id and a secret for cancelling.
            answer.writeInteger(UInt8(ascii: "K"))
            answer.writeInteger(Int32(12))
            answer.writeInteger(Int32(1))
            answer.writeInteger(Int32(1))
            // ReadyForQuery: 'Z', length 5, idle.
            answer.writeInteger(UInt8(ascii: "Z"))
            answer.writeInteger(Int32(5))
            answer.writeInteger(UInt8(ascii: "I"))
            context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
        }
    }
}
