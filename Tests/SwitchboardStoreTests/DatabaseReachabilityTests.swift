import _ConnectionPoolModule
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// How the pool's watch reads what happens to its statements and probes (no server here).
@Suite struct DatabaseReachabilityTests {
    private let start = ContinuousClock.now

    @Test func aLostConnectionOnlyRaisesADoubtThatOneProbeSettles() {
        var reachability = DatabaseReachability()
        reachability.connectionFailed()
        #expect(reachability.state == .doubtful)
        // More failures while in doubt change nothing: one probe is already due.
        reachability.connectionFailed()
        #expect(reachability.state == .doubtful)
        #expect(reachability.probeSucceeded(at: start) == .none)
        #expect(reachability.state == .reachable)
    }

    @Test func aFailedProbeClosesThePoolOnceAndTheNextThatReachesTheServerOpensANewOne() {
        var reachability = DatabaseReachability()
        reachability.connectionFailed()
        #expect(reachability.probeFailed(reason: "connection refused", at: start) == .closePool(reason: "connection refused"))
        #expect(reachability.state == .unreachable(since: start, reason: "connection refused"))
        // Still out of reach: the outage keeps its start, and what was last seen is kept for the answers.
        #expect(reachability.probeFailed(reason: "timed out", at: start + .seconds(2)) == .none)
        #expect(reachability.state == .unreachable(since: start, reason: "timed out"))
        reachability.connectionFailed()
        #expect(reachability.state == .unreachable(since: start, reason: "timed out"))
        #expect(reachability.probeSucceeded(at: start + .seconds(5)) == .openPool(after: .seconds(5)))
        #expect(reachability.state == .reachable)
    }

    @Test func errorsThatSayTheConnectionWentAwayAreToldFromTheStatementsOwn() {
        #expect(PostgresConnectionFailure.reason(of: PostgresStoreError.connectionLost) != nil)
        #expect(PostgresConnectionFailure.reason(of: ConnectionPoolError.poolShutdown) != nil)
        #expect(PostgresConnectionFailure.reason(of: ConnectionPoolError.connectionCreationCircuitBreakerTripped) != nil)
        // A cancelled wait is the caller's doing, and a refused value the statement's.
        #expect(PostgresConnectionFailure.reason(of: ConnectionPoolError.requestCancelled) == nil)
        #expect(PostgresConnectionFailure.reason(of: PostgresStoreError.invalidColumn(table: "t", column: "c", value: "v")) == nil)
        #expect(PostgresConnectionFailure.reason(of: CancellationError()) == nil)
    }
}
