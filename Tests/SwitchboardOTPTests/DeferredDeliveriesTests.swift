import Synchronization
import Testing

@testable import SwitchboardOTP

@Suite("Deferred deliveries")
struct DeferredDeliveriesTests {
    @Test func everyQueuedDeliveryRunsBeforeDrainReturnsAndNoneIsTakenAfterFinish() async {
        let deliveries = DeferredDeliveries()
        let ran = Mutex(0)
        for _ in 0..<3 {
            #expect(deliveries.enqueue { ran.withLock { $0 += 1 } })
        }
        deliveries.finish()
        #expect(!deliveries.enqueue { ran.withLock { $0 += 100 } })
        await deliveries.drain()
        #expect(ran.withLock { $0 } == 3)
    }
}
