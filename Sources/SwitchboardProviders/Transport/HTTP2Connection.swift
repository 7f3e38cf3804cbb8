import NIOCore
import NIOHTTP2

/// An HTTP/2 connection to a provider, as its pool counts it: each request takes one of the
/// streams the provider allows at once, and gives it back when its answer is read.
struct HTTP2Connection: Sendable {
    let channel: any Channel
    let multiplexer: NIOHTTP2Handler.StreamMultiplexer
    /// Tells the connection's streams which errors mean the provider refused them.
    let refusals: NIOLoopBound<HTTP2ConnectionWatcher>
    /// What the provider's `SETTINGS_MAX_CONCURRENT_STREAMS` allows: no limit until it names one.
    var maxStreams: Int
    var openStreams = 0

    var hasRoom: Bool { openStreams < maxStreams && channel.isActive }
    /// The provider allows no streams on it now, and may say otherwise later.
    var allowsNoStreams: Bool { maxStreams == 0 && channel.isActive }
}

/// What an HTTP/2 connection's own frames tell its pool: how many streams the provider allows,
/// that it is going away (`GOAWAY`: no new stream may start on it), that it failed, and that it
/// sat unused; and its streams, which of them the provider refused. The provider's first
/// `SETTINGS` makes the connection ready: before it, its stream limit is unknown.
final class HTTP2ConnectionWatcher: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame

    enum News {
        case maxStreams(Int)
        case goingAway
        /// A connection error: NIO said `GOAWAY` itself, and the connection carries nothing more.
        case failed
        case idle
    }

    private let ready: EventLoopPromise<Int>
    private var isReady = false
    /// The last stream the provider said, in a `GOAWAY`, that it serves.
    private var lastServedStream = HTTP2StreamID.maxID
    private let tell: @Sendable (any Channel, News) -> Void

    /// - Parameters:
    ///   - ready: Given the stream limit of the provider's first `SETTINGS`.
    ///   - tell: Called on the event loop with what later frames and idleness said.
    init(ready: EventLoopPromise<Int>, tell: @escaping @Sendable (any Channel, News) -> Void) {
        self.ready = ready
        self.tell = tell
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data).payload {
        case .settings(.settings(let settings)):
            let limit = settings.last { $0.parameter == .maxConcurrentStreams }?.value
            if !isReady {
                isReady = true
                ready.succeed(limit ?? .max)
            } else if let limit {
                tell(context.channel, .maxStreams(limit))
            }
        case .goAway(let lastStreamID, _, _):
            // NIO ends the streams beyond it after this frame has passed here.
            lastServedStream = min(lastServedStream, lastStreamID)
            tell(context.channel, .goingAway)
        default:
            break
        }
    }

    /// Whether `error`, which ended one of the connection's streams, says the provider did not
    /// process its request: it refused the stream, or the stream is beyond the last one its
    /// `GOAWAY` serves (NIO ends those as cancelled).
    func isRefusal(_ error: any Error) -> Bool {
        guard let closed = error as? NIOHTTP2Errors.StreamClosed else { return false }
        return closed.errorCode == .refusedStream || closed.streamID > lastServedStream
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            tell(context.channel, .idle)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        ready.fail(error)
        tell(context.channel, .failed)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
