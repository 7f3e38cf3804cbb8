import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// A store whose server goes away and comes back: through a proxy in front of the tests' cluster,
/// cut (every connection ended, new ones refused, as when the server stops) or silenced, and then
/// restored; a server that answers nothing, one that takes no writes, and one with no connection to
/// spare for the probe.
@Suite("PostgreSQL out of reach and back", .timeLimit(.minutes(2)))
struct PostgresOutageTests {
    @Test(
        "cut off, or the network silent: statements and saves fail with StoreUnavailable in seconds, not the pool's minute nor when TCP gives up, and at once once known; back: a new pool serves",
        arguments: [DatabaseOutage.cut, .silence]
    )
    func statementsFailFastWhileTheServerIsAwayAndSucceedOnceItIsBack(outage: DatabaseOutage) async throws {
        try await Self.withStoreBehindProxy { store, proxy, database in
            try await store.save(Fixtures.record(id: "msg_before"))
            try await outage.begin(proxy, database)

            let clock = ContinuousClock()
            let away = clock.now
            // One statement at a time, as on a quiet daemon: silenced, each finds an open
            // connection, so none waits for one.
            await #expect(throws: StoreUnavailable.self) { try await store.message(id: "msg_before") }
            // Silenced: a second without progress and a probe's three seconds; the bound leaves room
            // for the whole suite's tests sharing this process's threads. Unwatched, the statement
            // never ends.
            let firstBound: Duration = outage == .cut ? .seconds(10) : .seconds(30)
            #expect(away.duration(to: clock.now) < firstBound, "the first statement took \(away.duration(to: clock.now))")
            // The probe finds the server out of reach: from then on nothing waits.
            try await requireEventually(within: .seconds(10)) { (try? store.checkWritable()) == nil }
            let known = clock.now
            await #expect(throws: StoreUnavailable.self) { try await store.save(Fixtures.record(id: "msg_during")) }
            await #expect(throws: StoreUnavailable.self) { try await store.secret(named: "during", orInsert: [1]) }
            #expect(known.duration(to: clock.now) < .seconds(1), "refusals took \(known.duration(to: clock.now))")

            try await outage.end(proxy, database)
            let back = clock.now
            try await requireEventually(within: .seconds(10)) { (try? await store.message(id: "msg_before")) != nil }
            #expect(back.duration(to: clock.now) < .seconds(5), "the store served again after \(back.duration(to: clock.now))")
            try store.checkWritable()
            try await store.save(Fixtures.record(id: "msg_after"))
            #expect(try await store.message(id: "msg_after")?.id == "msg_after")
            #expect(try await store.message(id: "msg_during") == nil)
        }
    }

    @Test("a server that goes away while nothing runs: the next statement waits for the probe, not for the pool to give up")
    func anIdleStoreNoticesOnItsNextStatement() async throws {
        try await Self.withStoreBehindProxy { store, proxy, _ in
            try await proxy.cut()
            // The pool has seen its connections close and is trying to open new ones.
            try await Task.sleep(for: .milliseconds(500))
            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: StoreUnavailable.self) { try await store.secret(named: "idle", orInsert: [2]) }
            #expect(start.duration(to: clock.now) < .seconds(10), "the statement waited \(start.duration(to: clock.now))")
            try await proxy.restore()
            try await requireEventually(within: .seconds(10)) { (try? await store.secret(named: "idle", orInsert: [2])) == [2] }
        }
    }

    @Test("a server that takes connections and answers no statement: statements fail with StoreUnavailable in seconds, the probe's own statement included")
    func aServerThatTakesConnectionsButAnswersNothing() async throws {
        let server = try await MutePostgresServer()
        let settings = PostgresSettings(host: "127.0.0.1", port: server.port, username: "switchboard", password: nil, database: "switchboard", tls: .disable, pool: 2)
        let store = try PostgresStore.open(settings, logger: TestPostgres.quiet)
        try await PostgresStore.withRunning([store]) {
            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: StoreUnavailable.self) { try await store.message(id: "msg_unanswered") }
            #expect(start.duration(to: clock.now) < .seconds(30), "the statement took \(start.duration(to: clock.now))")
            #expect(throws: StoreUnavailable.self) { try store.checkWritable() }
        }
        try await server.close()
    }

    @Test(
        "connections stranded while the server answers (a firewall that forgot them; processes the server ended, as when a failover moved the address): the statement on one fails with StoreUnavailable in seconds, its process is ended, and new connections serve",
        arguments: [false, true]
    )
    func aStatementOnAStrandedConnectionFailsAndNewConnectionsServe(processesEnded: Bool) async throws {
        try await Self.withStoreBehindProxy { store, proxy, database in
            // Both of the pool's connections made and used, so each has its server process known.
            async let first = store.pool.run(PostgresQuery(unsafeSQL: "SELECT pg_sleep(0.2)"), logger: TestPostgres.quiet)
            async let second = store.pool.run(PostgresQuery(unsafeSQL: "SELECT pg_sleep(0.2)"), logger: TestPostgres.quiet)
            _ = try await (first, second)
            let before = try await TestPostgres.clientProcesses(of: database, named: PostgresPool.applicationName)
            try #require(before.count == 2, "\(before)")
            proxy.strand()
            if processesEnded { try await TestPostgres.endClientConnections(of: database) }

            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: StoreUnavailable.self) { try await store.secret(named: "stranded", orInsert: [3]) }
            let failedAfter = start.duration(to: clock.now)
            // Five seconds' wait and a question to the server; the bound leaves room for the whole
            // suite sharing this process's threads. Unwatched, the statement never ends.
            #expect(failedAfter >= PostgresPool.strandedAfter && failedAfter < .seconds(30), "failed after \(failedAfter)")
            // When the server had ended their processes, the idle stranded connection was closed
            // with the one asked about, so the next statement needs no second wait.
            try await requireEventually(within: .seconds(30)) { (try? await store.secret(named: "stranded", orInsert: [4])) == [4] }
            if processesEnded { #expect(start.duration(to: clock.now) < failedAfter + .seconds(5), "served after \(start.duration(to: clock.now))") }
            // The process whose statement waited was ended (the proxy keeps the server's side of a
            // closed stranded connection open, so only the store's question ends it).
            let after = try await TestPostgres.clientProcesses(of: database, named: PostgresPool.applicationName)
            #expect(!before.isSubset(of: after), "before \(before), after \(after)")
            try store.checkWritable()
        }
    }

    @Test("a statement that runs longer than the wait before the server is asked about its connection is left to finish")
    func aLongStatementTheServerIsRunningIsLeftToFinish() async throws {
        try await Self.withStoreBehindProxy { store, _, _ in
            let seconds = PostgresPool.strandedAfter.components.seconds + 2
            let clock = ContinuousClock()
            let start = clock.now
            try await store.pool.run(PostgresQuery(unsafeSQL: "SELECT pg_sleep(\(seconds))"), logger: TestPostgres.quiet)
            #expect(start.duration(to: clock.now) >= .seconds(seconds))
            try store.checkWritable()
        }
    }

    @Test("a statement that is only slow, on a server with no connection to spare for the probe: the store stays open and the statement answers")
    func aSlowStatementOnAFullServerIsLeftToFinish() async throws {
        try await TestPostgres.withDatabase { admin in
            // The role may hold the pool's two connections and no more, so the probe is refused;
            // the statement outlasts a few seconds without progress, however late the watch looks.
            let role = "sb_limited_" + UUID().uuidString.prefix(8).lowercased()
            try await TestPostgres.rows(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN CONNECTION LIMIT 2"), on: admin)
            var settings = admin
            settings.username = role
            settings.pool = 2
            var failure: (any Error)?
            do {
                let store = try PostgresStore.open(settings, logger: TestPostgres.quiet)
                try await PostgresStore.withRunning([store]) {
                    let clock = ContinuousClock()
                    let start = clock.now
                    try await store.pool.run(PostgresQuery(unsafeSQL: "SELECT pg_sleep(5)"), logger: TestPostgres.quiet)
                    #expect(start.duration(to: clock.now) >= .seconds(5))
                    try store.checkWritable()
                    try await store.pool.run(PostgresQuery(unsafeSQL: "SELECT 1"), logger: TestPostgres.quiet)
                }
            } catch {
                failure = error
            }
            try await TestPostgres.rows(PostgresQuery(unsafeSQL: "DROP ROLE \(role)"), on: admin)
            if let failure { throw failure }
        }
    }

    @Test(
        "a server that takes no writes (a standby, or a former primary after a failover): refused as out of reach until a probe finds it writable, then a new pool serves"
    )
    func aServerThatTakesNoWritesIsOutOfReachUntilItDoes() async throws {
        try await TestPostgres.withDatabase { settings in
            try await TestPostgres.withStores(1, on: settings) { stores in
                let store = stores[0]
                try await store.migrate()
                try await store.save(Fixtures.record(id: "msg_before"))
                // Every new connection read-only, as on a standby; the pool's own are ended, so it
                // opens new ones, as after a failover that left the address on the old primary.
                try await DatabaseOutage.setReadOnly(true, settings)
                try await TestPostgres.endClientConnections(of: settings)

                try await requireEventually(within: .seconds(30)) {
                    do {
                        try await store.save(Fixtures.record(id: "msg_read_only"))
                        return false
                    } catch is StoreUnavailable {
                        return (try? store.checkWritable()) == nil
                    }
                }
                let refused = await #expect(throws: StoreUnavailable.self) { try await store.save(Fixtures.record(id: "msg_refused")) }
                #expect(refused?.reason.contains("read-only") == true, "\(String(describing: refused))")

                try await DatabaseOutage.setReadOnly(false, settings)
                try await requireEventually(within: .seconds(30)) { (try? await store.save(Fixtures.record(id: "msg_after"))) != nil }
                #expect(try await store.message(id: "msg_after")?.id == "msg_after")
                #expect(try await store.message(id: "msg_before")?.id == "msg_before")
            }
        }
    }

    @Test("the server's clock is read against the daemon's when the pool starts: a daemon whose clock is days off logs a warning once, one in step logs none")
    func aDaemonWhoseClockIsOffFromTheServersSaysSo() async throws {
        try await TestPostgres.withDatabase { settings in
            let offsets = Locked<[Duration]>([])
            let records = LogRecords()
            // The hand-moved clock stands still on a fixed date, far from the server's today.
            let apart = try PostgresStore.open(settings, logger: records.logger(label: "apart"), reachability: RecordedOffsets(offsets), clock: ManualClock())
            let inStep = LogRecords()
            let steady = Locked<[Duration]>([])
            let synchronised = try PostgresStore.open(settings, logger: inStep.logger(label: "in step"), reachability: RecordedOffsets(steady))
            try await PostgresStore.withRunning([apart, synchronised]) {
                try await requireEventually(within: .seconds(30)) { !offsets.withLock { $0.isEmpty } && !steady.withLock { $0.isEmpty } }
            }
            let expected = Date().timeIntervalSince(ManualClock().date)
            let measured = try #require(offsets.withLock { $0.first }).timeInterval
            #expect(abs(measured - expected) < 60, "measured \(measured) s, expected about \(expected) s")
            let steadyOffset = try #require(steady.withLock { $0.first })
            // Both on this machine; how close the reading comes depends on how busy it is (the
            // warning allows for the round trip, this bound only for a starved test process).
            #expect(steadyOffset < .seconds(30) && steadyOffset > .seconds(-30), "\(steadyOffset)")
            let warnings = records.all.filter { $0.level == .warning && $0.message.contains("clock") }
            #expect(warnings.count == 1, "\(records.lines)")
            #expect(warnings.first?.metadata["sb.store.clock_offset"]?.hasPrefix("-") == true, "\(records.lines)")
            #expect(!inStep.all.contains { $0.level >= .warning }, "\(inStep.lines)")
        }
    }

    /// Keeps every clock offset a store reports.
    private struct RecordedOffsets: StoreReachabilityObserver {
        let offsets: Locked<[Duration]>
        init(_ offsets: Locked<[Duration]>) { self.offsets = offsets }
        func reachabilityChanged(reachable: Bool) {}
        func connectionStranded() {}
        func clockOffsetMeasured(_ offset: Duration) { offsets.withLock { $0.append(offset) } }
    }

    /// A migrated, running store on a new database, reached through a proxy the test can cut, with
    /// the database's own settings.
    private static func withStoreBehindProxy(_ body: (PostgresStore, SeverableProxy, PostgresSettings) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { settings in
            let proxy = try await SeverableProxy(upstreamHost: settings.host, upstreamPort: settings.port)
            var through = settings
            through.port = proxy.port
            try await TestPostgres.withStores(1, on: through) { stores in
                try await stores[0].migrate()
                try await body(stores[0], proxy, settings)
            }
        }
    }
}
