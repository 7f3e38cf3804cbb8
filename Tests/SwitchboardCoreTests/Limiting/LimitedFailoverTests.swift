import Testing
import SwitchboardCore
import SwitchboardTestSupport

/// The dispatcher in front of a provider with limits: a send that finds no slot and no room in the
/// queue, or whose wait outlives its attempt's time, skips that provider (and says why) and fails
/// over; a send that waited is sent within the attempt's original deadline.
@Suite("Failover with provider limits", .timeLimit(.minutes(3)))
struct LimitedFailoverTests {
    let clock = ManualClock()
    let gate = Gate()
    let slow: ScriptedProvider
    let backup = ScriptedProvider.accepting("backup")
    let plan = Failover.plan(["slow", "backup"])

    init() {
        slow = ScriptedProvider("slow", [.gated(gate, ProviderResponse(outcome: .accepted, providerMessageID: "slow-id"))])
    }

    func makeDispatcher(_ limits: ProviderLimits) -> (FailoverDispatcher, CircuitBreakerRegistry) {
        let breakers = CircuitBreakerRegistry(settings: BreakerSettings(consecutiveFailures: 1), clock: clock)
        let dispatcher = FailoverDispatcher(
            providers: [slow, backup], attemptTimeout: .seconds(3), breakers: breakers, limits: ["slow": limits], clock: clock,
            alarms: .running(on: clock)
        )
        return (dispatcher, breakers)
    }

    func deliver(_ dispatcher: FailoverDispatcher, id: String) async -> [DeliveryAttempt] {
        await dispatcher.deliver(Failover.message(id), plan: plan, deadline: clock.now + .seconds(10), logger: Failover.logger)
    }

    /// Waits (bounded) until `condition` holds.
    func waitUntil(_ condition: () -> Bool) async throws {
        var polls = 0
        while !condition(), polls < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            polls += 1
        }
        try #require(condition())
    }

    @Test("every slot taken and the queue full: the provider is skipped with queue_full, the next takes the message, no breaker counts it")
    func queueFullFailsOver() async throws {
        let (dispatcher, breakers) = makeDispatcher(ProviderLimits(maxInFlight: 1, queue: 0))
        let held = Task { await deliver(dispatcher, id: "msg_held") }
        try await waitUntil { slow.callCount == 1 }

        let attempts = await deliver(dispatcher, id: "msg_over")
        #expect(attempts.map(\.provider) == ["slow", "backup"])
        #expect(attempts.map(\.outcome) == [.skipped, .accepted])
        #expect(attempts.first?.providerCode == "queue_full")
        #expect(slow.callCount == 1)
        // A full queue says nothing about the provider's health: a failure would have opened it.
        #expect(breakers.isAvailable("slow"))

        gate.open()
        let heldAttempts = await held.value
        #expect(heldAttempts.map(\.outcome) == [.accepted])
        #expect(heldAttempts.map(\.provider) == ["slow"])
    }

    @Test("a wait that outlives the attempt's time is skipped with queue_timeout and never sent late")
    func waitOutlivesAttempt() async throws {
        let (dispatcher, _) = makeDispatcher(ProviderLimits(maxInFlight: 1, queue: 1))
        let limiter = try #require(dispatcher.limiters["slow"])
        let held = Task { await deliver(dispatcher, id: "msg_held") }
        try await waitUntil { slow.callCount == 1 }
        clock.advance(by: .seconds(1))
        let waiting = Task { await deliver(dispatcher, id: "msg_waiting") }
        try await waitUntil { limiter.waiting == 1 }

        // The waiter's attempt ends 3s after it began; the held call keeps its slot past its own cut-off.
        clock.advance(by: .seconds(3))
        let attempts = await waiting.value
        #expect(attempts.map(\.provider) == ["slow", "backup"])
        #expect(attempts.map(\.outcome) == [.skipped, .accepted])
        #expect(attempts.first?.providerCode == "queue_timeout")

        gate.open()
        _ = await held.value
        try await waitUntil { limiter.inFlight == 0 }
        #expect(slow.callCount == 1)
    }

    @Test("a send that waited for a slot is sent with what is left of its attempt's time, not a fresh attempt timeout")
    func waitCountsAgainstAttempt() async throws {
        let (dispatcher, _) = makeDispatcher(ProviderLimits(maxInFlight: 1, queue: 1))
        let limiter = try #require(dispatcher.limiters["slow"])
        let held = Task { await deliver(dispatcher, id: "msg_held") }
        try await waitUntil { slow.callCount == 1 }
        let queuedAt = clock.now
        let waiting = Task { await deliver(dispatcher, id: "msg_waiting") }
        try await waitUntil { limiter.waiting == 1 }

        clock.advance(by: .seconds(1))
        gate.open()
        let attempts = await waiting.value
        _ = await held.value
        #expect(attempts.map(\.provider) == ["slow"])
        #expect(attempts.map(\.outcome) == [.accepted])
        #expect(slow.deadlines.last == queuedAt + .seconds(3))
    }

    @Test("a call cut off at its deadline has ended, and given its slot back, by the time its send goes on")
    func cutOffCallHasEnded() async throws {
        let hung = ScriptedProvider("hung", [.hang])
        let dispatcher = FailoverDispatcher(
            providers: [hung, backup], attemptTimeout: .seconds(3), breakers: CircuitBreakerRegistry(settings: BreakerSettings(), clock: clock),
            limits: ["hung": ProviderLimits(maxInFlight: 1, queue: 0)], clock: clock, alarms: .running(on: clock)
        )
        let limiter = try #require(dispatcher.limiters["hung"])
        let sending = Task {
            await dispatcher.deliver(Failover.message(), plan: Failover.plan(["hung", "backup"]), deadline: clock.now + .seconds(10), logger: Failover.logger)
        }
        try await waitUntil { hung.callCount == 1 }
        #expect(limiter.inFlight == 1)
        clock.advance(by: .seconds(3))
        let attempts = await sending.value
        #expect(attempts.map(\.outcome) == [.ambiguous, .accepted])
        #expect(attempts.first?.providerCode == "attempt_timeout")
        #expect(limiter.inFlight == 0)
    }

    @Test("a provider that keeps its deadline itself holds its slot while its call runs and gives it back when the call ends")
    func providerKeepingItsDeadlineGivesItsSlotBack() async throws {
        let gate = Gate()
        defer { gate.open() }
        let trusted = ScriptedProvider("trusted", [.gated(gate, ProviderResponse(outcome: .accepted, providerMessageID: "t"))], answersByDeadline: true)
        let system = SystemClock()
        let dispatcher = FailoverDispatcher(
            providers: [trusted], attemptTimeout: .seconds(30), breakers: CircuitBreakerRegistry(settings: BreakerSettings(), clock: system),
            limits: ["trusted": ProviderLimits(maxInFlight: 1, queue: 0)], clock: system, alarms: .running(on: system)
        )
        let limiter = try #require(dispatcher.limiters["trusted"])
        let plan = Failover.plan(["trusted"])
        let sending = Task { await dispatcher.deliver(Failover.message("msg_1"), plan: plan, deadline: system.now + .seconds(30), logger: Failover.logger) }
        try await waitUntil { trusted.callCount == 1 }
        #expect(limiter.inFlight == 1)
        let refused = await dispatcher.deliver(Failover.message("msg_2"), plan: plan, deadline: system.now + .seconds(30), logger: Failover.logger)
        #expect(refused.map(\.providerCode) == ["queue_full"])
        gate.open()
        #expect(await sending.value.map(\.outcome) == [.accepted])
        #expect(limiter.inFlight == 0)
        let next = await dispatcher.deliver(Failover.message("msg_3"), plan: plan, deadline: system.now + .seconds(30), logger: Failover.logger)
        #expect(next.map(\.outcome) == [.accepted])
    }
}
