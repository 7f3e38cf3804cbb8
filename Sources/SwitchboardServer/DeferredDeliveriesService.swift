import ServiceLifecycle
import SwitchboardOTP

/// Runs the OTP flow's deferred deliveries for the life of the server. Added after the stores and
/// the HTTP client, so at shutdown it stops first and the deliveries it drains can still send.
struct DeferredDeliveriesService: Service {
    let deliveries: DeferredDeliveries

    func run() async {
        await withGracefulShutdownHandler {
            await deliveries.drain()
        } onGracefulShutdown: {
            deliveries.finish()
        }
    }
}
