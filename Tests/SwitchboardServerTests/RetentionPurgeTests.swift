import Foundation
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The purge service: bounded batches with a pause between them, the settings in force at each
/// batch, a first pass only `retention.every` after start.
@Suite("Retention purge", .timeLimit(.minutes(3)))
struct RetentionPurgeTests {
    /// A store that records each batch it was asked for, then does it.
    final class RecordingStore: RetentionStore {
        let store: MemoryStore
        let limits = Locked<[Int]>([])

        init(_ store: MemoryStore) { self.store = store }

        func purge(_ kind: RetainedKind, endedBefore cutoff: Date, limit: Int) async throws -> Int {
            limits.withLock { $0.append(limit) }
            return await store.purge(kind, endedBefore: cutoff, limit: limit)
        }

        func countPurgeable(_ kind: RetainedKind, endedBefore cutoff: Date) async throws -> Int {
            await store.countPurgeable(kind, endedBefore: cutoff)
        }

        func reclaimSpace() async throws {}
    }

    static func accepted(_ id: String, createdAt: Date) -> MessageRecord {
        MessageRecord(
            id: id, app: "demo", kind: .transactional, to: "+447700900123", country: "GB", route: "all", sender: "Demo",
            loggedText: "Your parcel arrives today", encoding: .gsm7, segments: 1, status: .accepted, provider: "alpha",
            createdAt: createdAt, updatedAt: createdAt
        )
    }

    static func settings(batch: Int, pause: Duration = .seconds(1), every: Duration = .seconds(60)) -> RetentionSettings {
        var settings = RetentionSettings()
        settings.messages = .seconds(3600)
        settings.batch = batch
        settings.pause = pause
        settings.every = every
        return settings
    }

    /// Waits (bounded) until `clock` has `count` sleepers.
    static func waitForSleepers(_ clock: ManualClock, _ count: Int) async throws {
        let end = ContinuousClock.now + .seconds(30)
        while clock.sleeperCount != count {
            guard ContinuousClock.now < end else {
                Issue.record("the clock never had \(count) sleepers")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test("five rows due, batches of two: three deletes of at most two, a pause before each one after the first")
    func batchesArePacedAndBounded() async throws {
        let clock = ManualClock()
        let memory = MemoryStore()
        for index in 1...5 { await memory.save(Self.accepted("msg_\(index)", createdAt: clock.date.addingTimeInterval(-7200))) }
        await memory.save(Self.accepted("msg_recent", createdAt: clock.date))
        let store = RecordingStore(memory)
        let purge = RetentionPurge(stores: [.messages: store], settings: { Self.settings(batch: 2) }, clock: clock, logger: Logger(label: "test"))

        let pass = Task { try await purge.pass(dryRun: false) }
        // Each pause is a sleep on the clock: the next batch waits for it.
        try await Self.waitForSleepers(clock, 1)
        #expect(store.limits.withLock { $0 } == [2])
        clock.advance(by: .seconds(1))
        try await Self.waitForSleepers(clock, 1)
        #expect(store.limits.withLock { $0 } == [2, 2])
        clock.advance(by: .seconds(1))
        let tallies = try await pass.value
        #expect(store.limits.withLock { $0 } == [2, 2, 2])
        #expect(tallies.first { $0.kind == .messages }?.rows == 5)
        #expect(try await memory.recentMessages(to: nil, limit: 10).map(\.id) == ["msg_recent"])
    }

    @Test("the settings in force at each batch apply: a batch size changed mid-pass is used by the next batch")
    func settingsAreReadAtEachBatch() async throws {
        let clock = ManualClock()
        let memory = MemoryStore()
        for index in 1...5 { await memory.save(Self.accepted("msg_\(index)", createdAt: clock.date.addingTimeInterval(-7200))) }
        let store = RecordingStore(memory)
        let current = Locked(Self.settings(batch: 2))
        let purge = RetentionPurge(stores: [.messages: store], settings: { current.withLock { $0 } }, clock: clock, logger: Logger(label: "test"))
        let pass = Task { try await purge.pass(dryRun: false) }
        try await Self.waitForSleepers(clock, 1)
        current.withLock { $0 = Self.settings(batch: 10) }
        clock.advance(by: .seconds(1))
        _ = try await pass.value
        #expect(store.limits.withLock { $0 } == [2, 10])
    }

    @Test("the service's first pass comes `every` after start, not at start; a dry run deletes nothing")
    func firstPassWaitsItsTurn() async throws {
        let clock = ManualClock()
        let memory = MemoryStore()
        await memory.save(Self.accepted("msg_old", createdAt: clock.date.addingTimeInterval(-7200)))
        let store = RecordingStore(memory)
        let logs = LogRecords()
        let purge = RetentionPurge(
            stores: [.messages: store], settings: { Self.settings(batch: 10, every: .seconds(60)) }, clock: clock, logger: logs.logger(label: "test")
        )
        let counted = try await purge.pass(dryRun: true)
        #expect(counted.first { $0.kind == .messages }?.rows == 1)
        #expect(counted.first { $0.kind == .inbox }?.rows == 0)
        #expect(await memory.message(id: "msg_old") != nil)

        let service = Task { try await purge.run() }
        try await Self.waitForSleepers(clock, 1)
        #expect(store.limits.withLock { $0 }.isEmpty)
        clock.advance(by: .seconds(60))
        // After the pass the service sleeps until the next one.
        try await Self.waitForSleepers(clock, 1)
        #expect(store.limits.withLock { $0 } == [10])
        #expect(await memory.message(id: "msg_old") == nil)
        service.cancel()
        try await service.value
        let line = try #require(logs.all.first { $0.metadata["sb.retention.messages"] != nil })
        #expect(line.metadata["sb.retention.messages"] == "1")
    }
}

/// The purge also deletes the abuse rules' counters once no rule of the apps in force reads them.
@Suite("Retention purge of abuse counters", .timeLimit(.minutes(3)))
struct AbuseCounterPurgeTests {
    @Test func countersPastTheLongestWindowGoAndTheRestStay() async throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let login = MemoryLoginStore()
        let scopes: [ConversionScope] = [.country("NG")]
        _ = await login.countConversionSend(app: "demo", scopes: scopes, at: t0, limits: [:])
        _ = await login.countConversionSend(app: "demo", scopes: scopes, at: t0.addingTimeInterval(3000), limits: [:])
        _ = await login.notePrefixSend(app: "demo", prefix: "2348031", number: "+2348031000001", now: t0, rule: PrefixVelocityRule())
        // Conversion over an hour, the default velocity window of ten minutes.
        let apps = try ConfigParser.parse(
            yaml: AdminAPITests.yaml.replacingOccurrences(of: "    name: Demo\n", with: "    name: Demo\n    otp: { conversion: { window: 1h } }\n"),
            file: "test.yaml", environment: [:]
        ).apps
        #expect(apps.first?.otp.conversion?.window == .seconds(3600))
        let purge = RetentionPurge(
            stores: [:], settings: { RetentionSettings() }, clock: ManualClock(), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            abuse: login, apps: { apps }
        )
        // An hour and a half later: the first bucket is outside the hour's window, the second is in
        // it; the number was seen more than the velocity window ago.
        let deleted = try await purge.purgeAbuseCounters(now: t0.addingTimeInterval(5400))
        #expect(deleted == 2)
        let left = await login.conversionTallies(app: "demo", since: t0, minSends: 1)
        #expect(left == [ConversionTally(scope: .country("NG"), sent: 1, verified: 0)])
    }
}
