import Testing
import SwitchboardCore
import SwitchboardTestSupport

/// The waiting around `ProviderSlots`: a queued send wakes when a slot is given back, is skipped when
/// its deadline passes or the queue is full, and leaves the queue when cancelled. Time is a
/// `ManualClock`: nothing here waits for real time to pass.
@Suite("Provider limiter", .timeLimit(.minutes(3)))
struct ProviderLimiterTests {
    let clock = ManualClock()

    /// Waits (bounded) until `count` sends wait in `limiter`'s queue.
    func waitUntilQueued(_ limiter: ProviderLimiter, count: Int) async throws {
        var polls = 0
        while limiter.waiting < count, polls < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            polls += 1
        }
        try #require(limiter.waiting == count)
    }

    @Test("a queued send is granted the slot its predecessor gives back")
    func queuedSendGetsReleasedSlot() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 1, queue: 1), clock: clock, alarms: .running(on: clock))
        let first = await limiter.acquire(until: clock.now + .seconds(3))
        #expect(first == .granted)
        let deadline = clock.now + .seconds(3)
        let second = Task { await limiter.acquire(until: deadline) }
        try await waitUntilQueued(limiter, count: 1)

        limiter.release()
        let secondAcquisition = await second.value
        #expect(secondAcquisition == .granted)
        #expect(limiter.inFlight == 1)
        #expect(limiter.waiting == 0)
    }

    @Test("a send that finds the slots taken and the queue full is skipped at once with queue_full")
    func fullQueueSkipsAtOnce() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 1, queue: 1), clock: clock, alarms: .running(on: clock))
        let deadline = clock.now + .seconds(3)
        _ = await limiter.acquire(until: deadline)
        let waiter = Task { await limiter.acquire(until: deadline) }
        try await waitUntilQueued(limiter, count: 1)

        let refused = await limiter.acquire(until: deadline)
        #expect(refused == .skipped(.queueFull))
        waiter.cancel()
        _ = await waiter.value
    }

    @Test("a queued send whose deadline passes is skipped with queue_timeout, and a later free slot is not given to it")
    func deadlinePassesInQueue() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 1, queue: 1), clock: clock, alarms: .running(on: clock))
        _ = await limiter.acquire(until: clock.now + .seconds(10))
        let deadline = clock.now + .seconds(3)
        let waiter = Task { await limiter.acquire(until: deadline) }
        try await waitUntilQueued(limiter, count: 1)

        clock.advance(by: .seconds(3))
        let acquisition = await waiter.value
        #expect(acquisition == .skipped(.queueTimeout))
        #expect(limiter.waiting == 0)
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test("a queued send is not given up before its deadline")
    func notGivenUpEarly() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 1, queue: 1), clock: clock, alarms: .running(on: clock))
        _ = await limiter.acquire(until: clock.now + .seconds(10))
        let deadline = clock.now + .seconds(3)
        let waiter = Task { await limiter.acquire(until: deadline) }
        try await waitUntilQueued(limiter, count: 1)

        clock.advance(by: .milliseconds(2_999))
        // The timer for the deadline's slot has not come: the waiter is still queued, and takes
        // the slot when it frees.
        limiter.release()
        let acquisition = await waiter.value
        #expect(acquisition == .granted)
    }

    @Test("a cancelled send leaves the queue, skipped as cancelled, and takes no slot")
    func cancelledWaiterLeaves() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 1, queue: 1), clock: clock, alarms: .running(on: clock))
        _ = await limiter.acquire(until: clock.now + .seconds(10))
        let deadline = clock.now + .seconds(3)
        let waiter = Task { await limiter.acquire(until: deadline) }
        try await waitUntilQueued(limiter, count: 1)

        waiter.cancel()
        let acquisition = await waiter.value
        #expect(acquisition == .skipped(.cancelled))
        #expect(limiter.waiting == 0)
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test("over the rate, a send waits in the queue for the next token, then goes")
    func rateHoldsInQueue() async throws {
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 10, queue: 10, rate: 10), clock: clock, alarms: .running(on: clock))
        let deadline = clock.now + .seconds(3)
        let first = await limiter.acquire(until: deadline)
        #expect(first == .granted)
        let second = Task { await limiter.acquire(until: deadline) }
        try await waitUntilQueued(limiter, count: 1)
        #expect(limiter.inFlight == 1)

        clock.advance(by: .milliseconds(100))
        let secondAcquisition = await second.value
        #expect(secondAcquisition == .granted)
        #expect(limiter.inFlight == 2)
    }

    @Test("queued sends whose deadlines fall in one slot of the timer share one alarm")
    func oneAlarmPerSlot() async throws {
        let alarms = Alarms.running(on: clock)
        let limiter = ProviderLimiter(limits: ProviderLimits(maxInFlight: 1, queue: 2), clock: clock, alarms: alarms)
        _ = await limiter.acquire(until: clock.now + .seconds(10))
        // 3.001 s and 3.003 s: both in the slot that starts at 3.010 s.
        let deadline = clock.now + .milliseconds(3_001)
        let first = Task { await limiter.acquire(until: deadline) }
        let second = Task { await limiter.acquire(until: deadline + .milliseconds(2)) }
        try await waitUntilQueued(limiter, count: 2)
        #expect(alarms.pending == 1)

        clock.advance(by: .milliseconds(3_010))
        let acquisitions = [await first.value, await second.value]
        #expect(acquisitions == [.skipped(.queueTimeout), .skipped(.queueTimeout)])
        #expect(limiter.waiting == 0)
    }
}
