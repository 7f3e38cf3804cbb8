import Hummingbird
import SwitchboardOTP

/// A request context that can carry the client a Mosaic client token names, for
/// ``ClientTokenMiddleware`` to fill in before the routes that need a client run.
protocol ClientTokenRequestContext: RemoteAddressRequestContext {
    var authenticatedClient: ClientContext? { get set }
}

/// The context of the Mosaic routes behind ``ClientTokenMiddleware``: the client is always there.
struct MosaicClientRequestContext<Parent: ClientTokenRequestContext>: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let client: ClientContext
    /// The IP address of the connection, without the port; `nil` where there is no socket.
    let remoteAddress: String?

    /// - Throws: The 401 of a request without a client token, should a route be reached without
    ///   the middleware.
    init(context: Parent) throws {
        guard let client = context.authenticatedClient else { throw MosaicError.missingClientToken }
        self.coreContext = context.coreContext
        self.client = client
        self.remoteAddress = context.remoteAddress?.ipAddress
    }
}

extension SwitchboardRequestContext: ClientTokenRequestContext {}
