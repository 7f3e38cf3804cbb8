import Synchronization
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// The daemon's one timer: alarms ring when their slot comes and never before, an earlier alarm
/// wakes a loop asleep for a later one, and the loop's owner ends it (finish or cancellation) with
/// every alarm left rung. Time is a `ManualClock`.
@Suite("Alarms", .timeLimit(.minutes(3)))
struct AlarmsTests {
    let clock = ManualClock()

    /// Counts its rings.
    final class Bell: Alarm {
        private let count = Mutex(0)
        var rings: Int { count.withLock { $0 } }
        func ring() { count.withLock { $0 += 1 } }
    }

    /// Runs `alarms`' loop while `body` runs, then finishes it and waits for it to end.
    func whileRunning(_ alarms: Alarms, _ body: () async throws -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await alarms.runUntilFinished() }
            defer { alarms.finish() }
            try await body()
        }
    }

    /// Waits (bounded, in real time) until `condition` holds.
    func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var polls = 0
        while !condition(), polls < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            polls += 1
        }
        try #require(condition(), sourceLocation: sourceLocation)
    }

    @Test("an alarm rings once its slot has come, not before, and once")
    func ringsAtItsSlot() async throws {
        let alarms = Alarms(clock: clock, granularity: .milliseconds(10))
        let bell = Bell()
        try await whileRunning(alarms) {
            alarms.set(bell, at: clock.now + .seconds(1))
            try await waitUntil { clock.sleeperCount == 1 }
            clock.advance(by: .milliseconds(999))
            // The loop slept until the slot's start: 999 ms wakes nothing.
            #expect(clock.sleeperCount == 1)
            #expect(bell.rings == 0)
            clock.advance(by: .milliseconds(1))
            try await waitUntil { bell.rings == 1 }
            #expect(alarms.pending == 0)
        }
        #expect(bell.rings == 1)
    }

    @Test("an alarm between two slot starts rings at the next one: late by less than a slot, never early")
    func roundsUp() async throws {
        let alarms = Alarms(clock: clock, granularity: .milliseconds(10))
        let bell = Bell()
        try await whileRunning(alarms) {
            alarms.set(bell, at: clock.now + .milliseconds(15))
            try await waitUntil { clock.sleeperCount == 1 }
            clock.advance(by: .milliseconds(15))
            // Past its instant, but its slot starts at 20 ms.
            #expect(clock.sleeperCount == 1)
            #expect(bell.rings == 0)
            clock.advance(by: .milliseconds(5))
            try await waitUntil { bell.rings == 1 }
        }
    }

    @Test("an alarm earlier than the one the loop sleeps for wakes the loop, and rings at its own time")
    func earlierAlarmWakesTheLoop() async throws {
        let alarms = Alarms(clock: clock)
        let late = Bell()
        let early = Bell()
        try await whileRunning(alarms) {
            alarms.set(late, at: clock.now + .seconds(10))
            try await waitUntil { clock.sleeperCount == 1 }
            alarms.set(early, at: clock.now + .seconds(1))
            clock.advance(by: .seconds(1))
            try await waitUntil { early.rings == 1 }
            #expect(late.rings == 0)
            clock.advance(by: .seconds(9))
            try await waitUntil { late.rings == 1 }
        }
    }

    @Test("finish rings every alarm left and ends the loop; an alarm set afterwards rings at once")
    func finishDrains() async throws {
        let alarms = Alarms(clock: clock)
        let pending = Bell()
        let afterwards = Bell()
        try await whileRunning(alarms) {
            alarms.set(pending, at: clock.now + .seconds(60))
            try await waitUntil { clock.sleeperCount == 1 }
        }
        // `whileRunning` returned: the loop has ended, its sleep cancelled.
        #expect(pending.rings == 1)
        #expect(clock.sleeperCount == 0)
        alarms.set(afterwards, at: clock.now + .seconds(60))
        #expect(afterwards.rings == 1)
        #expect(alarms.pending == 0)
    }

    @Test("cancelling the loop's task ends it the same way: what was left rings")
    func cancellationDrains() async throws {
        let alarms = Alarms(clock: clock)
        let pending = Bell()
        let loop = Task { await alarms.runUntilFinished() }
        alarms.set(pending, at: clock.now + .seconds(60))
        try await waitUntil { clock.sleeperCount == 1 }
        loop.cancel()
        await loop.value
        #expect(pending.rings == 1)
        #expect(clock.sleeperCount == 0)
    }

    @Test("idle, the loop sleeps on no timer")
    func idleLoopHasNoTimer() async throws {
        let alarms = Alarms(clock: clock)
        let bell = Bell()
        try await whileRunning(alarms) {
            alarms.set(bell, at: clock.now + .milliseconds(10))
            try await waitUntil { clock.sleeperCount == 1 }
            clock.advance(by: .milliseconds(10))
            try await waitUntil { bell.rings == 1 }
            try await waitUntil { clock.sleeperCount == 0 }
        }
    }
}
