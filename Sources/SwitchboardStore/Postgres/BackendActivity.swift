/// The server process behind one of the pool's connections: its process id, and when it started
/// (process ids are reused, and another server has its own).
struct PostgresBackend: Sendable, Equatable {
    let pid: Int32
    let startedMicroseconds: Int64
}

/// What the server says of one of its processes (`pg_stat_activity`), and whether a statement
/// that has waited on it for ``PostgresPool/strandedAfter`` is stranded.
struct BackendActivity: Sendable, Equatable {
    let backend: PostgresBackend
    /// `active`, `idle`, `idle in transaction`, …; `disabled` where the server tracks no activity.
    let state: String?
    /// How long the process has been in that state.
    let inStateFor: Duration

    /// The states of a process waiting for its client's next statement.
    private static let waitingForClient: Set<String> = ["idle", "idle in transaction", "idle in transaction (aborted)"]

    /// Whether the statement that has waited `limit` on the connection to `backend` will never be
    /// answered, given what the server lists of the process (`activity`, `nil` when it lists none).
    /// Stranded: the server has no such process (the connection leads to another server, or to one
    /// that ended it without a word reaching this daemon), or the process has waited at least
    /// `limit` for its client's next statement: the statement never reached it. A process running
    /// a statement, or one whose state the server does not track, is left alone. A connection whose
    /// process is unknown (its first statement, which asks, is the one waiting) is stranded.
    static func isStranded(_ backend: PostgresBackend?, activity: BackendActivity?, limit: Duration) -> Bool {
        guard let backend else { return true }
        guard let activity, activity.backend == backend else { return true }
        guard let state = activity.state, waitingForClient.contains(state) else { return false }
        return activity.inStateFor >= limit
    }
}
