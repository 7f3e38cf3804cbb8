import ServiceLifecycle
import SwitchboardCore

extension Doorbell {
    /// Returns at the next ring, once `poll` has passed on `clock` (work that rings no bell: retries
    /// coming due, other daemons' work), or when a graceful shutdown starts.
    func wait(atMost poll: Duration, clock: any SwitchboardClock) async {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.wait() }
                group.addTask { try? await clock.sleep(until: clock.now + poll) }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
