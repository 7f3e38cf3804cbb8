import NIOCore
import NIOHTTP1

/// Keeps or closes each connection as HTTP/1.x says (RFC 9112 §9), and says so in the answer.
///
/// Below it, the HTTP/1 decoder still knows the request's version; above it, the version is gone
/// and the server keeps every connection open unless the request's `Connection` field is exactly
/// `close`. So a request that does not keep the connection (`Connection: close` in any letter case
/// or among other options, or HTTP/1.0 without `keep-alive`) has its field set to exactly `close`,
/// its response gets `Connection: close`, and the connection is closed once that response is out.
/// An HTTP/1.0 request that asks for `keep-alive` gets `Connection: keep-alive` back, which is how
/// an HTTP/1.0 client learns that it may reuse the connection.
final class ConnectionPersistenceHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Persistence {
        case keep
        /// An HTTP/1.0 client that asked for keep-alive and must be told it got it.
        case keepAndSay
        case close
    }

    /// One entry per request whose response has not ended, in order (requests may be pipelined).
    private var pending: CircularBuffer<Persistence> = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        if !head.isKeepAlive || !Self.framingIsKnown(head) {
            pending.append(.close)
            head.headers.replaceOrAdd(name: "Connection", value: "close")
        } else if head.version.major == 1, head.version.minor == 0 {
            pending.append(.keepAndSay)
        } else {
            pending.append(.keep)
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    /// A body whose transfer coding is not plain `chunked` has no known end, so nothing after it
    /// on the connection can be read as a request.
    private static func framingIsKnown(_ head: HTTPRequestHead) -> Bool {
        head.headers["transfer-encoding"].allSatisfy { TransferCoding.isChunked($0) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where !pending.isEmpty:
            switch pending[pending.startIndex] {
            case .keep: context.write(data, promise: promise)
            case .keepAndSay:
                head.headers.replaceOrAdd(name: "Connection", value: "keep-alive")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            case .close:
                head.headers.replaceOrAdd(name: "Connection", value: "close")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            }
        case .end where !pending.isEmpty:
            guard pending.removeFirst() == .close else {
                context.write(data, promise: promise)
                return
            }
            let written = context.writeAndFlush(data)
            if let promise { written.cascade(to: promise) }
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}
