import NIOCore
import NIOTLS

/// A new connection's protocol: HTTP/2 when the provider chose it in the TLS handshake (ALPN),
/// HTTP/1.1 otherwise.
enum NegotiatedConnection: Sendable {
    case http1(any Channel)
    case http2(HTTP2Connection)
}

/// Waits on an `https` connection for the end of its TLS handshake, then lays out the rest of the
/// pipeline for the protocol the provider chose and leaves. A handshake that fails, or a connection
/// that closes first, fails the negotiation with the reason, so the request is known not sent.
final class ProtocolNegotiation: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let negotiated: EventLoopPromise<NegotiatedConnection>
    private let configure: (any Channel, _ protocol: String?) throws -> EventLoopFuture<NegotiatedConnection>

    /// - Parameter configure: Called on the event loop with the chosen protocol (nil when the
    ///   provider chose none): adds that protocol's handlers and says what the connection becomes
    ///   once ready.
    init(
        negotiated: EventLoopPromise<NegotiatedConnection>,
        configure: @escaping (any Channel, _ protocol: String?) throws -> EventLoopFuture<NegotiatedConnection>
    ) {
        self.negotiated = negotiated
        self.configure = configure
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? TLSUserEvent, case .handshakeCompleted(let chosen) = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        do {
            let connection = try configure(context.channel, chosen)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            negotiated.completeWith(connection)
        } catch {
            negotiated.fail(error)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        negotiated.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        negotiated.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
