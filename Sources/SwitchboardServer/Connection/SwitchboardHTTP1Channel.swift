import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import SwitchboardCore

/// Hummingbird's HTTP/1 child channel with two more handlers below its type conversion, where the
/// request's HTTP version and raw bytes are still visible: ``ConnectionPersistenceHandler`` (close
/// when the client asks, answer HTTP/1.0 right) and ``ConnectionTimeoutHandler`` (header, body and
/// idle limits).
struct SwitchboardHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: .init()
            )
            let timeouts = ConnectionTimeoutHandler(limits: limits, logger: logger)
            try pipeline.addHandler(ConnectionPersistenceHandler())
            try pipeline.addHandler(timeouts)
            try pipeline.addHandler(ByteArrivalHandler(timeouts: timeouts, context: try pipeline.context(handler: timeouts)), position: .first)
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            // Hummingbird's own state handler, without its idle timer: it still closes connections
            // gracefully when the server shuts down.
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        TaskStack.reserve(TaskStack.requestPath)
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with Switchboard's connection handling (``SwitchboardHTTP1Channel``).
    static func switchboard(limits: ConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in SwitchboardHTTP1Channel(responder: responder, limits: limits) }
    }
}
