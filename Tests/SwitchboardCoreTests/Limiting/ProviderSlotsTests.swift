import Testing
import SwitchboardCore

/// The pure state of one provider's limits: slots, then the queue, then refusal; first come, first
/// served; a waiter past its deadline is never given a slot; the rate's token bucket.
@Suite("Provider slots")
struct ProviderSlotsTests {
    let t0 = ContinuousClock.now
    var later: ContinuousClock.Instant { t0 + .seconds(60) }

    @Test("sends take the free slots, then wait in the queue, then are refused when it is full")
    func slotsThenQueueThenFull() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 2, queue: 1), now: t0)
        let first = slots.request(1, until: later, now: t0)
        let second = slots.request(2, until: later, now: t0)
        let third = slots.request(3, until: later, now: t0)
        let fourth = slots.request(4, until: later, now: t0)
        #expect([first, second, third, fourth] == [.go, .go, .wait, .full])
        #expect(slots.inFlight == 2)
        #expect(slots.waiting == 1)
    }

    @Test("without a queue, a send that finds every slot taken is refused at once")
    func noQueue() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 1, queue: 0), now: t0)
        let first = slots.request(1, until: later, now: t0)
        let second = slots.request(2, until: later, now: t0)
        #expect([first, second] == [.go, .full])
        #expect(slots.waiting == 0)
    }

    @Test("a slot given back goes to the oldest waiter")
    func firstComeFirstServed() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 1, queue: 2), now: t0)
        _ = slots.request(1, until: later, now: t0)
        _ = slots.request(2, until: later, now: t0)
        _ = slots.request(3, until: later, now: t0)
        let firstRelease = slots.release(now: t0)
        #expect(firstRelease == ProviderSlots.Step(admitted: [2]))
        let secondRelease = slots.release(now: t0)
        #expect(secondRelease == ProviderSlots.Step(admitted: [3]))
        #expect(slots.inFlight == 1)
        #expect(slots.waiting == 0)
    }

    @Test("a waiter whose deadline has passed is given up, not given the slot; the next waiter gets it")
    func expiredWaiterIsPassedOver() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 1, queue: 2), now: t0)
        _ = slots.request(1, until: later, now: t0)
        _ = slots.request(2, until: t0 + .seconds(1), now: t0)
        _ = slots.request(3, until: t0 + .seconds(5), now: t0)
        let step = slots.release(now: t0 + .seconds(2))
        #expect(step == ProviderSlots.Step(admitted: [3], expired: [2]))
        #expect(slots.inFlight == 1)
    }

    @Test("expire gives up the waiters at or past their deadline and keeps the others, in order")
    func expireKeepsTheRest() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 1, queue: 3), now: t0)
        _ = slots.request(1, until: later, now: t0)
        _ = slots.request(2, until: t0 + .seconds(5), now: t0)
        _ = slots.request(3, until: t0 + .seconds(1), now: t0)
        _ = slots.request(4, until: t0 + .seconds(9), now: t0)
        let expired = slots.expire(now: t0 + .seconds(1))
        #expect(expired == ProviderSlots.Step(expired: [3]))
        #expect(slots.waiting == 2)
        let released = slots.release(now: t0 + .seconds(2))
        #expect(released == ProviderSlots.Step(admitted: [2]))
    }

    @Test("a withdrawn waiter leaves the queue and is never admitted")
    func withdraw() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 1, queue: 1), now: t0)
        _ = slots.request(1, until: later, now: t0)
        _ = slots.request(2, until: later, now: t0)
        let withdrawn = slots.withdraw(2)
        let again = slots.withdraw(2)
        #expect(withdrawn)
        #expect(!again)
        #expect(slots.waiting == 0)
        let step = slots.release(now: t0)
        #expect(step == ProviderSlots.Step())
        #expect(slots.inFlight == 0)
    }

    @Test("a rate lets a tenth of a second's sends through at once, then one per 1/rate; new sends queue behind the waiters")
    func rate() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 100, queue: 100, rate: 50), now: t0)
        let burst = (1...5).map { slots.request($0, until: later, now: t0) }
        #expect(burst == Array(repeating: .go, count: 5))
        let sixth = slots.request(6, until: later, now: t0)
        #expect(sixth == .wait)
        #expect(slots.nextToken(now: t0) == t0 + .milliseconds(20))

        // A token has come, but the waiter came first.
        let seventh = slots.request(7, until: later, now: t0 + .milliseconds(20))
        #expect(seventh == .wait)
        let step = slots.expire(now: t0 + .milliseconds(20))
        #expect(step == ProviderSlots.Step(admitted: [6]))
        #expect(slots.nextToken(now: t0 + .milliseconds(20)) == t0 + .milliseconds(40))
    }

    @Test("without a rate there is no token to wait for")
    func noRateNoToken() {
        var slots = ProviderSlots(limits: ProviderLimits(maxInFlight: 1, queue: 1), now: t0)
        _ = slots.request(1, until: later, now: t0)
        _ = slots.request(2, until: later, now: t0)
        #expect(slots.nextToken(now: t0) == nil)
    }
}
