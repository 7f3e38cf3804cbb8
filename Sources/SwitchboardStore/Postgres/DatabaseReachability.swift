/// Whether PostgreSQL can be reached, as the store's statements and probes find it, and what the
/// pool does about it (``PostgresPool``, which feeds it each event and carries out its answer).
///
/// A statement that loses its connection, or statements that make no progress (none handed a
/// connection, none answered), only raise a doubt: one connection ended by an administrator, or a
/// slow moment, says nothing of the server. A probe (a connection of its own) settles it. When the
/// probe cannot reach the server, the pool is closed, which ends every wait for one of its
/// connections at once, and statements are refused without waiting until a probe reaches the
/// server again; then a new pool opens, with none of the old one's growing pauses between
/// connection attempts.
struct DatabaseReachability: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// Statements go to the pool.
        case reachable
        /// Statements still go to the pool; a probe is due.
        case doubtful
        /// Statements are refused at once; the pool is closed; a probe is due every interval.
        case unreachable(since: ContinuousClock.Instant, reason: String)
    }

    /// What the pool does after a probe.
    enum Action: Sendable, Equatable {
        case none
        /// Close the pool: it cannot connect, and its waiting statements should hear so now.
        case closePool(reason: String)
        /// Open a new pool: the server answers again after being out of reach this long.
        case openPool(after: Duration)
    }

    private(set) var state: State = .reachable

    /// A statement lost its connection, or statements made no progress for a while: a probe is
    /// due, unless one already is.
    mutating func connectionFailed() {
        guard case .reachable = state else { return }
        state = .doubtful
    }

    /// A probe reached the server.
    mutating func probeSucceeded(at now: ContinuousClock.Instant) -> Action {
        switch state {
        case .reachable, .doubtful:
            state = .reachable
            return .none
        case .unreachable(let since, _):
            state = .reachable
            return .openPool(after: since.duration(to: now))
        }
    }

    /// A probe could not reach the server, for `reason`.
    mutating func probeFailed(reason: String, at now: ContinuousClock.Instant) -> Action {
        switch state {
        case .reachable, .doubtful:
            state = .unreachable(since: now, reason: reason)
            return .closePool(reason: reason)
        case .unreachable(let since, _):
            state = .unreachable(since: since, reason: reason)
            return .none
        }
    }
}
