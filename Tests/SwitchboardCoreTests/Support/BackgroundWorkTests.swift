import SwitchboardCore
import Synchronization
import Testing

@Suite("Background work")
struct BackgroundWorkTests {
    @Test("finishing waits for every job already queued, and later jobs are refused")
    func finishingDrainsQueuedWork() async {
        let work = BackgroundWork()
        let done = Mutex(0)
        for _ in 0..<5 {
            #expect(
                work.submit {
                    try? await Task.sleep(for: .milliseconds(20))
                    done.withLock { $0 += 1 }
                }
            )
        }
        work.finish()
        await work.runUntilFinished()
        #expect(done.withLock { $0 } == 5)
        #expect(!work.submit { done.withLock { $0 += 100 } })
        #expect(done.withLock { $0 } == 5)
    }

    @Test("jobs run while the owner runs, before anything finishes")
    func jobsRunAsTheyCome() async {
        let work = BackgroundWork()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await work.runUntilFinished() }
            await withCheckedContinuation { (ran: CheckedContinuation<Void, Never>) in
                work.submit { ran.resume() }
            }
            work.finish()
        }
    }
}
