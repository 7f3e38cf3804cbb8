import Logging
import NIOCore
import NIOHTTP1
import SwitchboardCore

/// Closes a connection whose client takes too long: to send a request's headers, its body, or its
/// next request (``ConnectionDeadline`` decides which limit applies). Sits between the HTTP/1
/// decoder and the rest of the pipeline; ``ByteArrivalHandler``, at the front of the pipeline,
/// tells it when raw bytes arrive, since a request whose headers never end produces no HTTP part.
final class ConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var state: ConnectionDeadline<ContinuousClock.Instant>
    private var timer: Scheduled<Void>?
    /// The instant `timer` fires at.
    private var timerAt: ContinuousClock.Instant?
    private let logger: Logger

    init(limits: ConnectionLimits, logger: Logger) {
        self.state = ConnectionDeadline(limits: limits, openedAt: .now)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        armTimer(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func bytesArrived(context: ChannelHandlerContext) {
        state.bytesArrived(at: .now)
        armTimer(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: state.headersArrived(at: .now)
        case .body: break
        case .end: state.requestEnded()
        }
        armTimer(context: context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            state.responseEnded(at: .now)
            armTimer(context: context)
        }
        context.write(data, promise: promise)
    }

    /// Makes sure a timer fires no later than the current deadline. A later deadline keeps the
    /// earlier timer, which re-arms itself when it fires, so most events schedule nothing.
    private func armTimer(context: ChannelHandlerContext) {
        guard let deadline = state.deadline?.instant else { return }
        if let timerAt, timerAt <= deadline { return }
        timer?.cancel()
        timerAt = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(deadline - .now)) { [self] in
            timer = nil
            timerAt = nil
            guard let deadline = state.deadline else { return }
            if deadline.instant <= .now {
                logger.debug("closing a connection that took too long", metadata: ["sb.limit": "\(deadline.limit.rawValue)"])
                context.close(promise: nil)
            } else {
                armTimer(context: context)
            }
        }
    }
}

/// Tells a ``ConnectionTimeoutHandler`` whenever bytes arrive, before the HTTP decoder sees them.
final class ByteArrivalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeouts: ConnectionTimeoutHandler
    private let timeoutsContext: ChannelHandlerContext

    init(timeouts: ConnectionTimeoutHandler, context: ChannelHandlerContext) {
        self.timeouts = timeouts
        self.timeoutsContext = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timeouts.bytesArrived(context: timeoutsContext)
        context.fireChannelRead(data)
    }
}
