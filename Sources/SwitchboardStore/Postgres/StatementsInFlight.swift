/// The pool's connections the store has used, whether each is running a statement, and which of
/// them are stranded: waiting for an answer the server will never send, while the server itself
/// answers.
///
/// A connection leads nowhere when the network forgot it while new connections still get through
/// (a firewall or NAT that dropped its state silently), or when the address now leads to another
/// server (a failover that moved a DNS name: the old connections still lead to the old server,
/// gone without a word). Its statement then waits for as long as TCP keeps retrying, about a
/// quarter of an hour on Linux's defaults, and the probe that a stall starts finds the server
/// answering, so nothing else ends it. Only the server can tell such a connection from one whose
/// statement is slow (a lock it waits for): the watch asks it about each connection that has
/// waited ``PostgresPool/strandedAfter`` (``BackendActivity``), by the server process each
/// connection was found to have when it was first used.
struct StatementsInFlight<Connection: AnyObject & Sendable> {
    /// A connection, and the server process behind it; `nil` until its first statement has asked.
    struct Found: Sendable {
        let connection: Connection
        let backend: PostgresBackend?
    }

    /// A connection that leads nowhere, and why.
    struct Stranded: Sendable {
        enum Reason: Sendable, Equatable {
            /// Its statement waited on a process that waits for a statement.
            case neverReached
            /// Its statement waited, and the server has no process for it.
            case noProcess
            /// Its first statement, which asks for its process, waited.
            case unknownProcess
            /// Idle, and the server has no process for it.
            case idleWithoutProcess
        }

        let connection: Connection
        let backend: PostgresBackend?
        let reason: Reason

        /// Whether a statement waited on it.
        var strandedAStatement: Bool { reason != .idleWithoutProcess }
    }

    private struct Tracked {
        let connection: Connection
        var backend: PostgresBackend?
        /// When the running statement was handed the connection; `nil` between statements.
        var since: ContinuousClock.Instant?
        /// When the server was last asked about this statement.
        var askedAt: ContinuousClock.Instant?
    }

    /// Keyed by the connection's identity; each entry holds its connection, so that no other
    /// connection can take that identity while it is tracked.
    private var tracked: [ObjectIdentifier: Tracked] = [:]

    init() {}

    /// A statement is handed `connection` at `now`.
    /// - Returns: Whether the connection's server process is still to be learned.
    mutating func begin(on connection: Connection, at now: ContinuousClock.Instant) -> Bool {
        let key = ObjectIdentifier(connection)
        var entry = tracked[key] ?? Tracked(connection: connection)
        entry.since = now
        entry.askedAt = nil
        tracked[key] = entry
        return entry.backend == nil
    }

    /// The statement on `connection` has ended.
    mutating func end(on connection: Connection) {
        tracked[ObjectIdentifier(connection)]?.since = nil
    }

    mutating func learn(_ backend: PostgresBackend, of connection: Connection) {
        tracked[ObjectIdentifier(connection)]?.backend = backend
    }

    /// Forgets the connections for which `isClosed` holds: the pool replaces a closed connection
    /// with a new one.
    mutating func forget(where isClosed: (Connection) -> Bool) {
        for (key, entry) in tracked where isClosed(entry.connection) { tracked[key] = nil }
    }

    /// The connections of the statements that have waited at least `limit`, each once per `limit`,
    /// so that a statement that is only slow costs the server one question every `limit`; marked
    /// asked at `now`.
    mutating func due(waitingAtLeast limit: Duration, at now: ContinuousClock.Instant) -> [Found] {
        var due: [Found] = []
        for (key, entry) in tracked {
            guard let since = entry.since, since.duration(to: now) >= limit else { continue }
            if let askedAt = entry.askedAt, askedAt.duration(to: now) < limit { continue }
            tracked[key]?.askedAt = now
            due.append(Found(connection: entry.connection, backend: entry.backend))
        }
        return due
    }

    /// The connections between statements whose server process is known.
    func idle() -> [Found] {
        tracked.values.filter { $0.since == nil && $0.backend != nil }.map { Found(connection: $0.connection, backend: $0.backend) }
    }

    var count: Int { tracked.count }

    /// Of the connections of statements `due` and the connections `idle`, those that lead nowhere,
    /// given what the server lists of their processes (`listed`, by process id): a statement's
    /// connection as ``BackendActivity/isStranded(_:activity:limit:)`` judges it, an idle
    /// connection when the server has no process for it.
    static func stranded(due: [Found], idle: [Found], listed: [Int32: BackendActivity], limit: Duration) -> [Stranded] {
        func listedProcess(of found: Found) -> Bool {
            guard let backend = found.backend else { return false }
            return listed[backend.pid]?.backend == backend
        }
        let waiting = due.filter { BackendActivity.isStranded($0.backend, activity: $0.backend.flatMap { listed[$0.pid] }, limit: limit) }
            .map { found in
                Stranded(
                    connection: found.connection, backend: found.backend,
                    reason: found.backend == nil ? .unknownProcess : listedProcess(of: found) ? .neverReached : .noProcess
                )
            }
        let gone = idle.filter { !listedProcess(of: $0) }.map { Stranded(connection: $0.connection, backend: $0.backend, reason: .idleWithoutProcess) }
        return waiting + gone
    }
}
