package import Hummingbird
package import NIOCore
import SwitchboardCore
import SwitchboardOTP

/// The request context of every route: Hummingbird's basic one plus the address the request came
/// from, which the credential throttle counts failures by.
package struct SwitchboardRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    /// `nil` where there is no socket (in-process router tests).
    package let remoteAddress: SocketAddress?
    /// The client a Mosaic client token named, once `ClientTokenMiddleware` has checked it.
    var authenticatedClient: ClientContext?

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension RemoteAddressRequestContext {
    /// The request's address as the credential throttle counts it: the IP without the port.
    var throttleSources: [CredentialThrottle.Source] {
        guard let ip = remoteAddress?.ipAddress else { return [] }
        return [.address(ip)]
    }
}
