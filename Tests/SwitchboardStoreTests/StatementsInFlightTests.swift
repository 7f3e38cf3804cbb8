import Testing

@testable import SwitchboardStore

/// Which connections the watch asks the server about, and which it finds stranded: no server.
@Suite("Statements in flight and stranded connections")
struct StatementsInFlightTests {
    private final class Connection: Sendable {}

    private let limit: Duration = .seconds(5)
    private let start = ContinuousClock.now
    private let backend = PostgresBackend(pid: 4242, startedMicroseconds: 1_700_000_000_000_000)

    @Test("a statement is due once it has waited the limit, then again only a limit later; one that ended is not")
    func dueAfterTheLimitAndOncePerLimit() {
        var statements = StatementsInFlight<Connection>()
        let waiting = Connection()
        let finished = Connection()
        let unknown = [statements.begin(on: waiting, at: start), statements.begin(on: finished, at: start)]
        #expect(unknown == [true, true])
        statements.end(on: finished)

        let early = statements.due(waitingAtLeast: limit, at: start + .seconds(4))
        #expect(early.isEmpty)
        let due = statements.due(waitingAtLeast: limit, at: start + .seconds(5))
        #expect(due.map { ObjectIdentifier($0.connection) } == [ObjectIdentifier(waiting)])
        #expect(due.first?.backend == nil)
        let askedAgainTooSoon = statements.due(waitingAtLeast: limit, at: start + .seconds(9))
        #expect(askedAgainTooSoon.isEmpty)
        let askedAgain = statements.due(waitingAtLeast: limit, at: start + .seconds(10))
        #expect(askedAgain.count == 1)
    }

    @Test("a connection's server process is learned once: its next statement need not ask, and it is listed idle between statements")
    func theBackendIsLearnedOnce() {
        var statements = StatementsInFlight<Connection>()
        let connection = Connection()
        let unknownAtFirst = statements.begin(on: connection, at: start)
        #expect(unknownAtFirst)
        statements.learn(backend, of: connection)
        statements.end(on: connection)
        #expect(statements.idle().map(\.backend) == [backend])
        let unknownAfter = statements.begin(on: connection, at: start + .seconds(1))
        #expect(!unknownAfter)
        #expect(statements.idle().isEmpty)
        // A new statement on the connection waits from its own start.
        let fromItsOwnStart = statements.due(waitingAtLeast: limit, at: start + .seconds(5))
        #expect(fromItsOwnStart.isEmpty)
        let later = statements.due(waitingAtLeast: limit, at: start + .seconds(6))
        #expect(later.first?.backend == backend)
    }

    @Test("closed connections are forgotten")
    func closedConnectionsAreForgotten() {
        var statements = StatementsInFlight<Connection>()
        let open = Connection()
        let closed = Connection()
        _ = statements.begin(on: open, at: start)
        _ = statements.begin(on: closed, at: start)
        statements.forget { $0 === closed }
        #expect(statements.count == 1)
        let due = statements.due(waitingAtLeast: limit, at: start + limit)
        #expect(due.map { ObjectIdentifier($0.connection) } == [ObjectIdentifier(open)])
    }

    @Test(
        "stranded: no process listed, another process with that id, a process waiting for its client the limit or more; not stranded: one running a statement, one whose state is not tracked, one idle for less",
        arguments: [
            (nil, true),
            ("other start", true),
            ("idle 5s", true),
            ("idle in transaction 9s", true),
            ("idle in transaction (aborted) 6s", true),
            ("idle 4s", false),
            ("active 60s", false),
            ("disabled 60s", false),
            ("no state", false),
        ] as [(String?, Bool)]
    )
    func whatTheServerSaysDecides(listing: String?, stranded: Bool) {
        let activity = listing.map(activity(described:))
        #expect(BackendActivity.isStranded(backend, activity: activity, limit: limit) == stranded)
    }

    @Test("a connection whose first statement, the one that asks for its process, is waiting, is stranded")
    func anUnknownProcessIsStranded() {
        #expect(BackendActivity.isStranded(nil, activity: nil, limit: limit))
    }

    @Test(
        "a waiting statement's connection stranded, and idle connections whose process the server no longer lists; an idle one whose process it lists is not",
        arguments: [true, false]
    )
    func strandedConnectionsAndWhy(statementStranded: Bool) {
        let waiting = Connection()
        let idleGone = Connection()
        let idleListed = Connection()
        let gone = PostgresBackend(pid: 7, startedMicroseconds: 1)
        let listed = PostgresBackend(pid: 8, startedMicroseconds: 1)
        let stranded = StatementsInFlight<Connection>.stranded(
            due: [.init(connection: waiting, backend: backend)],
            idle: [.init(connection: idleGone, backend: gone), .init(connection: idleListed, backend: listed)],
            listed: [
                backend.pid: BackendActivity(backend: backend, state: statementStranded ? "idle" : "active", inStateFor: .seconds(8)),
                listed.pid: BackendActivity(backend: listed, state: "idle", inStateFor: .seconds(60)),
            ],
            limit: limit
        )
        let expected = statementStranded ? [ObjectIdentifier(waiting), ObjectIdentifier(idleGone)] : [ObjectIdentifier(idleGone)]
        #expect(stranded.map { ObjectIdentifier($0.connection) } == expected)
        #expect(stranded.map(\.reason) == (statementStranded ? [.neverReached, .idleWithoutProcess] : [.idleWithoutProcess]))
        #expect(!stranded.filter(\.strandedAStatement).isEmpty == statementStranded)
    }

    @Test("a statement's connection whose process is unknown, or not the server's, is stranded for that reason")
    func reasons() {
        let unknown = Connection()
        let elsewhere = Connection()
        let stranded = StatementsInFlight<Connection>.stranded(
            due: [.init(connection: unknown, backend: nil), .init(connection: elsewhere, backend: backend)], idle: [], listed: [:], limit: limit
        )
        #expect(stranded.map(\.reason) == [.unknownProcess, .noProcess])
        #expect(stranded.filter(\.strandedAStatement).count == 2)
    }

    /// "STATE SECONDSs", "other start" (the same process id, started at another time) or "no state".
    private func activity(described text: String) -> BackendActivity {
        if text == "other start" {
            return BackendActivity(backend: PostgresBackend(pid: backend.pid, startedMicroseconds: 1), state: "idle", inStateFor: .seconds(60))
        }
        if text == "no state" { return BackendActivity(backend: backend, state: nil, inStateFor: .seconds(60)) }
        let seconds = Int(text.split(separator: " ").last!.dropLast())!
        let state = text.split(separator: " ").dropLast().joined(separator: " ")
        return BackendActivity(backend: backend, state: state, inStateFor: .seconds(seconds))
    }
}
