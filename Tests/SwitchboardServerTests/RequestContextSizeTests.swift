import Hummingbird
import NIOCore
import SwitchboardOTP
import Testing

@testable import SwitchboardServer

/// Every async frame a request passes through (each middleware, the router, the controller) holds
/// its own copy of the request context, for as long as the request is in flight: what the context
/// carries inline, every request in flight holds many times over.
@Suite struct RequestContextSizeTests {
    @Test func theAuthenticatedClientIsCarriedAsOneReference() {
        #expect(MemoryLayout<ClientContext?>.size == MemoryLayout<AnyObject>.size)
    }

    @Test func theContextHoldsNoMoreThanHummingbirdsStorageTheAddressAndTheClient() {
        let inline = MemoryLayout<CoreRequestContextStorage>.size + MemoryLayout<SocketAddress?>.size + MemoryLayout<ClientContext?>.size
        #expect(MemoryLayout<SwitchboardRequestContext>.size <= inline + MemoryLayout<Int>.size)
    }
}
