import Foundation
import Testing
import SwitchboardCore
import SwitchboardTestSupport

/// The failover rules, branch by branch, over scripted providers and a hand-moved clock.
@Suite("Failover dispatcher")
struct FailoverDispatcherTests {
    // MARK: Classes

    @Test("accepted stops the chain: the next provider is never called")
    func acceptedStops() async {
        let primary = ScriptedProvider.accepting("primary")
        let backup = ScriptedProvider.accepting("backup")
        let attempts = await Failover.rig([primary, backup]).deliver(Failover.plan(["primary", "backup"]))
        #expect(attempts.map(\.provider) == ["primary"])
        #expect(attempts.map(\.outcome) == [.accepted])
        #expect(attempts.first?.providerMessageID == "primary-id")
        #expect(backup.callCount == 0)
    }

    @Test("permanent stops the chain without failover: exactly one provider is called")
    func permanentStops() async {
        let primary = ScriptedProvider.answering("primary", .permanent, code: "21211")
        let backup = ScriptedProvider.accepting("backup")
        let attempts = await Failover.rig([primary, backup]).deliver(Failover.plan(["primary", "backup"]))
        #expect(attempts.map(\.outcome) == [.permanent])
        #expect(attempts.first?.providerCode == "21211")
        #expect(primary.callCount == 1)
        #expect(backup.callCount == 0)
    }

    @Test("retryable goes on to the next provider, and both attempts are recorded")
    func retryableFailsOver() async {
        let primary = ScriptedProvider(
            "primary", [.answer(ProviderResponse(outcome: .retryable, code: "500", message: "Internal Server Error"))]
        )
        let backup = ScriptedProvider.accepting("backup")
        let attempts = await Failover.rig([primary, backup]).deliver(Failover.plan(["primary", "backup"]))
        #expect(attempts.map(\.provider) == ["primary", "backup"])
        #expect(attempts.map(\.outcome) == [.retryable, .accepted])
        #expect(attempts.first?.providerCode == "500")
        #expect(attempts.first?.providerMessage == "Internal Server Error")
        #expect(attempts.last?.providerMessageID == "backup-id")
    }

    @Test("when every provider fails, every attempt is listed and none is accepted")
    func allFail() async {
        let providers = ["a", "b", "c"].map { ScriptedProvider.answering($0, .retryable, code: "503") }
        let attempts = await Failover.rig(providers).deliver(Failover.plan(["a", "b", "c"]))
        #expect(attempts.map(\.provider) == ["a", "b", "c"])
        #expect(attempts.allSatisfy { $0.outcome == .retryable && $0.providerCode == "503" })
        #expect(providers.allSatisfy { $0.callCount == 1 })
    }

    @Test("a provider that claims it skipped is treated as a retryable failure")
    func providerCannotSkip() async {
        let odd = ScriptedProvider.answering("odd", .skipped)
        let backup = ScriptedProvider.accepting("backup")
        let attempts = await Failover.rig([odd, backup]).deliver(Failover.plan(["odd", "backup"]))
        #expect(attempts.map(\.outcome) == [.retryable, .accepted])
    }

    // MARK: Ambiguous

    @Test("ambiguous: OTP goes on by default, transactional stops by default, a route overrides either", arguments: [
        (MessageKind.otp, AmbiguousPolicy?.none, true),
        (MessageKind.transactional, AmbiguousPolicy?.none, false),
        (MessageKind.transactional, AmbiguousPolicy?.some(.continue), true),
        (MessageKind.otp, AmbiguousPolicy?.some(.stop), false),
    ])
    func ambiguousPerKind(kind: MessageKind, routePolicy: AmbiguousPolicy?, goesOn: Bool) async {
        let primary = ScriptedProvider.answering("primary", .ambiguous, code: "timeout")
        let backup = ScriptedProvider.accepting("backup")
        let decision = RouteDecision(
            rule: "r", ruleIndex: 0, country: "GB", sender: nil, providers: ["primary", "backup"], template: nil,
            onAmbiguous: routePolicy
        )
        let attempts = await Failover.rig([primary, backup]).deliver(DeliveryPlan(decision, kind: kind))
        #expect(attempts.map(\.outcome) == (goesOn ? [.ambiguous, .accepted] : [.ambiguous]))
        #expect(backup.callCount == (goesOn ? 1 : 0))
    }

    // MARK: Time

    @Test("each attempt is given min(attempt timeout, time left of the send's deadline)")
    func attemptDeadlines() async {
        let clock = ManualClock()
        let primary = ScriptedProvider.answering("primary", .retryable)
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], clock: clock, attemptTimeout: .seconds(3))
        let start = clock.now
        _ = await rig.deliver(Failover.plan(["primary", "backup"]), deadline: .seconds(10))
        #expect(primary.deadlines == [start + .seconds(3)])

        let short = Failover.rig([primary, backup], clock: clock, attemptTimeout: .seconds(3))
        _ = await short.deliver(Failover.plan(["primary", "backup"]), deadline: .seconds(2))
        #expect(primary.deadlines.last == start + .seconds(2))
    }

    /// Also when it claims to keep its deadline: it keeps it on the real clock, and the dispatcher
    /// runs on another.
    @Test(
        "a hung provider is cut off at the attempt timeout as ambiguous, and the next one is tried", .timeLimit(.minutes(3)),
        arguments: [false, true]
    )
    func hungProviderIsCutOff(answersByDeadline: Bool) async throws {
        let clock = ManualClock()
        // It hangs until cancelled: if the dispatcher waited for its answer, the test would never end.
        let hung = ScriptedProvider("hung", [.hang], answersByDeadline: answersByDeadline)
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([hung, backup], clock: clock, attemptTimeout: .seconds(3))
        let sending = Task { await rig.deliver(Failover.plan(["hung", "backup"]), deadline: .seconds(10)) }
        try await waitUntil { hung.callCount == 1 }
        clock.advance(by: .seconds(3))
        let attempts = await sending.value
        #expect(attempts.map(\.outcome) == [.ambiguous, .accepted])
        #expect(attempts.first?.providerCode == "attempt_timeout")
        #expect(attempts.first?.latencyMicroseconds == 3_000_000)
        #expect(attempts.last?.provider == "backup")
    }

    @Test("a provider that ignores cancellation is recorded as cut off at its deadline, and holds its send until it returns", .timeLimit(.minutes(3)))
    func cancellationIgnoredHoldsTheSend() async throws {
        let clock = ManualClock()
        let gate = Gate()
        defer { gate.open() }
        let stubborn = ScriptedProvider("stubborn", [.gated(gate, .init(outcome: .accepted, providerMessageID: "late"))])
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([stubborn, backup], clock: clock, attemptTimeout: .seconds(3))
        let sending = Task { await rig.deliver(Failover.plan(["stubborn", "backup"]), deadline: .seconds(10)) }
        try await waitUntil { stubborn.callCount == 1 }
        clock.advance(by: .seconds(3))
        // The cut-off has rung; the call, a task of the send, still runs, and the send waits for it.
        try await waitUntil { rig.dispatcher.alarms.pending == 0 }
        #expect(backup.callCount == 0)
        gate.open()
        let attempts = await sending.value
        #expect(attempts.map(\.outcome) == [.ambiguous, .accepted])
        #expect(attempts.first?.providerCode == "attempt_timeout")
        #expect(attempts.first?.providerMessageID == nil)
        #expect(attempts.last?.provider == "backup")
    }

    @Test("a provider that keeps its deadline itself is called without a cut-off of ours on the real clock, and its own answer is recorded", .timeLimit(.minutes(3)))
    func providerKeepingItsDeadlineIsTrusted() async {
        // It claims to keep its deadline but stalls past it: only a cut-off of ours could end it sooner.
        let trusted = ScriptedProvider("trusted", [.stall(.milliseconds(300))], answersByDeadline: true)
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([trusted, backup], clock: SystemClock(), attemptTimeout: .milliseconds(50))
        let attempts = await rig.deliver(Failover.plan(["trusted", "backup"]), deadline: .seconds(50))
        #expect(attempts.map(\.outcome) == [.accepted])
        #expect(attempts.first?.providerMessageID == "too-late")
        #expect(attempts.first.map { $0.latencyMicroseconds >= 300_000 } == true)
        #expect(trusted.deadlines.count == 1)
        #expect(backup.callCount == 0)
    }

    @Test("on the real clock too, a provider that hangs past its deadline is cut off", .timeLimit(.minutes(3)))
    func hungProviderRealClock() async {
        let hung = ScriptedProvider("hung", [.hang])
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([hung, backup], clock: SystemClock(), attemptTimeout: .milliseconds(50))
        let attempts = await rig.deliver(Failover.plan(["hung", "backup"]), deadline: .seconds(50))
        #expect(attempts.map(\.outcome) == [.ambiguous, .accepted])
        #expect(attempts.first?.providerCode == "attempt_timeout")
        #expect(attempts.first.map { $0.latencyMicroseconds >= 50_000 } == true)
    }

    @Test("the send's deadline bounds the whole walk: the last attempt gets only what is left, later providers are skipped", .timeLimit(.minutes(3)))
    func deadlineExhaustion() async throws {
        let clock = ManualClock()
        let first = ScriptedProvider("first", [.hang])
        let second = ScriptedProvider("second", [.hang])
        let third = ScriptedProvider.accepting("third")
        let rig = Failover.rig([first, second, third], clock: clock, attemptTimeout: .seconds(2))
        let start = clock.now
        let sending = Task { await rig.deliver(Failover.plan(["first", "second", "third"]), deadline: .seconds(3)) }
        try await waitUntil { first.callCount == 1 }
        #expect(first.deadlines == [start + .seconds(2)])
        clock.advance(by: .seconds(2))
        try await waitUntil { second.callCount == 1 }
        // Only one second of the send's three is left: the attempt gets that, not a full two.
        #expect(second.deadlines == [start + .seconds(3)])
        clock.advance(by: .seconds(1))
        let attempts = await sending.value
        #expect(attempts.map(\.outcome) == [.ambiguous, .ambiguous, .skipped])
        #expect(attempts.map(\.latencyMicroseconds) == [2_000_000, 1_000_000, 0])
        #expect(attempts.last?.providerCode == "deadline_exhausted")
        #expect(third.callCount == 0)
    }

    @Test("a send cancelled during a probe frees the probe slot, counts nothing against the provider, and calls no one else", .timeLimit(.minutes(3)))
    func cancelledSend() async throws {
        let clock = ManualClock()
        let primary = ScriptedProvider("primary", rule: { call in call == 1 ? .answer(.init(outcome: .retryable)) : call == 2 ? .hang : .answer(.init(outcome: .accepted, providerMessageID: "p")) })
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], clock: clock, breaker: BreakerSettings(consecutiveFailures: 1, openFor: .seconds(5)))
        let plan = Failover.plan(["primary", "backup"])
        _ = await rig.deliver(plan)
        clock.advance(by: .seconds(5))
        let backupCalls = backup.callCount

        let probing = Task { await rig.deliver(plan, id: "probe") }
        try await waitUntil { primary.callCount == 2 }
        probing.cancel()
        let attempts = await probing.value
        #expect(attempts.map(\.outcome) == [.ambiguous, .skipped])
        #expect(attempts.map(\.providerCode) == ["cancelled", "cancelled"])
        #expect(backup.callCount == backupCalls)
        #expect(rig.breakers.states()["primary"]?.state == .halfOpen)

        // The slot is free again: the next send is the probe, and its success closes the breaker.
        #expect(await rig.deliver(plan).map(\.provider) == ["primary"])
        #expect(rig.breakers.states()["primary"]?.state == .closed)
    }

    /// Yields until `condition` holds; the scripted providers are called within a few task switches.
    func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<1_000_000 where !condition() { await Task.yield() }
        try #require(condition(), sourceLocation: sourceLocation)
    }

    // MARK: Retry-After

    @Test("a provider that answered with Retry-After is skipped until then, and recorded as skipped")
    func retryAfter() async {
        let clock = ManualClock()
        let primary = ScriptedProvider(
            "primary",
            [
                .answer(ProviderResponse(outcome: .retryable, code: "429", message: "Too Many Requests", retryAfter: .seconds(10))),
                .answer(ProviderResponse(outcome: .accepted, providerMessageID: "p-2")),
            ]
        )
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], clock: clock)
        let plan = Failover.plan(["primary", "backup"])

        #expect(await rig.deliver(plan).map(\.outcome) == [.retryable, .accepted])
        clock.advance(by: .seconds(9))
        let waiting = await rig.deliver(plan)
        #expect(waiting.map(\.outcome) == [.skipped, .accepted])
        #expect(waiting.first?.providerCode == "retry_after")
        #expect(waiting.first?.providerMessage?.contains("Retry-After") == true)
        #expect(primary.callCount == 1)
        #expect(rig.breakers.states()["primary"]?.retryAfterUntil != nil)

        clock.advance(by: .seconds(1))
        let after = await rig.deliver(plan)
        #expect(after.map(\.provider) == ["primary"])
        #expect(after.map(\.outcome) == [.accepted])
        #expect(primary.callCount == 2)
    }

    // MARK: Circuit breakers

    @Test("failures that do not judge the provider (its daemon's own database out of reach) are recorded but never open its breaker")
    func failuresOfOurOwnDatabaseLeaveTheBreakerClosed() async {
        var ownFailure = ProviderResponse(outcome: .retryable, code: "inbox_unavailable")
        ownFailure.judgesProvider = false
        let primary = ScriptedProvider("primary", [.answer(ownFailure)])
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], breaker: BreakerSettings(consecutiveFailures: 3, openFor: .seconds(30)))
        let plan = Failover.plan(["primary", "backup"])

        for _ in 0..<5 {
            let attempts = await rig.deliver(plan)
            #expect(attempts.map(\.outcome) == [.retryable, .accepted])
        }
        #expect(primary.callCount == 5)
        #expect(rig.breakers.states()["primary"]?.state ?? .closed == .closed)
        #expect(rig.breakers.states()["primary"]?.consecutiveFailures ?? 0 == 0)
    }

    @Test("a provider whose time is our own database's (the built-in one): attempts cut off at their deadline are recorded but never open its breaker; another provider's do")
    func timeoutsOfAProviderNotJudgedByThemLeaveTheBreakerClosed() async throws {
        for judged in [false, true] {
            let clock = ManualClock()
            let slow = ScriptedProvider("slow", [.hang], judgedByTimeouts: judged)
            let backup = ScriptedProvider.accepting("backup")
            let rig = Failover.rig([slow, backup], clock: clock, breaker: BreakerSettings(consecutiveFailures: 2, openFor: .seconds(30)), attemptTimeout: .seconds(3))
            for call in 1...2 {
                let sending = Task { await rig.deliver(Failover.plan(["slow", "backup"]), deadline: .seconds(10)) }
                try await waitUntil { slow.callCount == call }
                clock.advance(by: .seconds(3))
                let attempts = await sending.value
                #expect(attempts.map(\.outcome) == [.ambiguous, .accepted])
                #expect(attempts.first?.providerCode == "attempt_timeout")
            }
            #expect((rig.breakers.states()["slow"]?.state ?? .closed == .open) == judged, "judged by timeouts: \(judged)")
        }
    }

    @Test("N failures open the breaker; the provider is skipped; after the cool-down one probe closes it")
    func breakerOpensAndCloses() async {
        let clock = ManualClock()
        let primary = ScriptedProvider(
            "primary", rule: { call in call <= 3 ? .answer(.init(outcome: .retryable, code: "503")) : .answer(.init(outcome: .accepted, providerMessageID: "p")) }
        )
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], clock: clock, breaker: BreakerSettings(consecutiveFailures: 3, openFor: .seconds(30)))
        let plan = Failover.plan(["primary", "backup"])

        for _ in 0..<3 { _ = await rig.deliver(plan) }
        #expect(rig.breakers.states()["primary"]?.state == .open)
        #expect(rig.breakers.states()["primary"]?.consecutiveFailures == 3)
        #expect(rig.breakers.states()["primary"]?.since == clock.date)

        clock.advance(by: .seconds(29))
        let skipped = await rig.deliver(plan)
        #expect(skipped.map(\.outcome) == [.skipped, .accepted])
        #expect(skipped.first?.providerCode == "breaker_open")
        #expect(skipped.first?.providerMessage?.contains("1s") == true)
        #expect(primary.callCount == 3)

        clock.advance(by: .seconds(1))
        let probe = await rig.deliver(plan)
        #expect(probe.map(\.provider) == ["primary"])
        #expect(probe.map(\.outcome) == [.accepted])
        #expect(rig.breakers.states()["primary"]?.state == .closed)
        #expect(rig.breakers.states()["primary"]?.consecutiveFailures == 0)
    }

    @Test("a failed probe reopens the breaker for another cool-down")
    func failedProbeReopens() async {
        let clock = ManualClock()
        let primary = ScriptedProvider.answering("primary", .retryable)
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], clock: clock, breaker: BreakerSettings(consecutiveFailures: 2, openFor: .seconds(10)))
        let plan = Failover.plan(["primary", "backup"])
        for _ in 0..<2 { _ = await rig.deliver(plan) }
        #expect(rig.breakers.states()["primary"]?.state == .open)

        clock.advance(by: .seconds(10))
        let probe = await rig.deliver(plan)
        #expect(probe.map(\.outcome) == [.retryable, .accepted])
        #expect(primary.callCount == 3)
        let state = rig.breakers.states()["primary"]
        #expect(state?.state == .open)
        #expect(state?.since == clock.date)

        clock.advance(by: .seconds(9))
        #expect(await rig.deliver(plan).map(\.outcome) == [.skipped, .accepted])
        #expect(primary.callCount == 3)
    }

    @Test("half-open lets exactly one probe through; other sends skip the provider meanwhile")
    func oneProbeInFlight() async throws {
        let clock = ManualClock()
        let gate = Gate()
        let primary = ScriptedProvider(
            "primary", rule: { call in call == 1 ? .answer(.init(outcome: .retryable)) : call == 2 ? .gated(gate, .init(outcome: .accepted, providerMessageID: "probe")) : .answer(.init(outcome: .accepted, providerMessageID: "p")) }
        )
        let backup = ScriptedProvider.accepting("backup")
        let rig = Failover.rig([primary, backup], clock: clock, breaker: BreakerSettings(consecutiveFailures: 1, openFor: .seconds(5)))
        let plan = Failover.plan(["primary", "backup"])
        _ = await rig.deliver(plan)
        clock.advance(by: .seconds(5))

        let probing = Task { await rig.deliver(plan, id: "probe") }
        try await waitUntil { primary.callCount == 2 }
        #expect(rig.breakers.states()["primary"]?.state == .halfOpen)

        var others: [[DeliveryAttempt]] = []
        for index in 0..<5 { others.append(await rig.deliver(plan, id: "other-\(index)")) }
        #expect(others.allSatisfy { $0.map(\.outcome) == [.skipped, .accepted] })
        #expect(others.first?.first?.providerMessage?.contains("probe is in flight") == true)
        #expect(primary.callCount == 2)

        gate.open()
        let probeAttempts = await probing.value
        #expect(probeAttempts.map(\.providerMessageID) == ["probe"])
        #expect(rig.breakers.states()["primary"]?.state == .closed)
        #expect(await rig.deliver(plan).map(\.provider) == ["primary"])
        #expect(primary.callCount == 3)
    }

    @Test("every provider skipped by breakers: nothing is called, and every skip is recorded")
    func allSkipped() async {
        let clock = ManualClock()
        let a = ScriptedProvider.answering("a", .retryable)
        let b = ScriptedProvider.answering("b", .retryable)
        let rig = Failover.rig([a, b], clock: clock, breaker: BreakerSettings(consecutiveFailures: 1))
        let plan = Failover.plan(["a", "b"])
        #expect(await rig.deliver(plan).map(\.outcome) == [.retryable, .retryable])
        let attempts = await rig.deliver(plan)
        #expect(attempts.map(\.outcome) == [.skipped, .skipped])
        #expect(attempts.map(\.providerCode) == ["breaker_open", "breaker_open"])
        #expect(a.callCount == 1 && b.callCount == 1)
    }

    @Test("permanent answers do not count against a provider's breaker")
    func permanentIsNotAProviderFailure() async {
        let clock = ManualClock()
        let primary = ScriptedProvider.answering("primary", .permanent)
        let rig = Failover.rig([primary], clock: clock, breaker: BreakerSettings(consecutiveFailures: 2))
        for _ in 0..<5 { _ = await rig.deliver(Failover.plan(["primary"])) }
        #expect(rig.breakers.states()["primary"]?.state == .closed)
        #expect(primary.callCount == 5)
    }
}
