import Logging
import PostgresNIO
import SwitchboardCore
import Synchronization

/// Statements stranded on connections that lead nowhere while the server answers
/// (``StatementsInFlight``): the server is asked about the connection of each statement that has
/// waited ``strandedAfter``, and a stranded one is closed, which fails its statement
/// (``StoreUnavailable``) and has the pool open another in its place; so is an idle connection
/// whose process the server no longer has. The server process still behind a stranded connection,
/// if any, is ended first, which rolls back its transaction and frees its locks.
extension PostgresPool {
    /// How long a statement waits for its answer before the server is asked about its connection.
    static let strandedAfter: Duration = .seconds(5)

    /// Learns which server process is behind `connection`: asked on its first statement.
    func learnBackend(of connection: PostgresConnection) async throws {
        let rows = try await connection.run(
            """
            SELECT pg_backend_pid() AS pid, COALESCE((SELECT (extract(epoch FROM backend_start) * 1000000)::bigint
                FROM pg_stat_activity WHERE pid = pg_backend_pid()), 0) AS started
            """,
            logger: logger
        )
        guard let row = rows.first else { return }
        let backend = PostgresBackend(pid: try row["pid"].decode(Int32.self), startedMicroseconds: try row["started"].decode(Int64.self))
        statements.withLock { $0.learn(backend, of: connection) }
    }

    /// Asks the server, on a connection of its own, about the connections whose statements have
    /// waited ``strandedAfter`` and about the idle ones, and acts on what it finds
    /// (``StatementsInFlight/stranded(due:idle:listed:limit:)``). A question the server does not
    /// answer is left to the watch, which notices that nothing progresses.
    func closeStrandedConnections() async {
        let (due, idle) = statements.withLock { statements in
            statements.forget(where: \.isClosed)
            return (statements.due(waitingAtLeast: Self.strandedAfter, at: .now), statements.idle())
        }
        guard !due.isEmpty else { return }
        let known = (due + idle).compactMap(\.backend)
        let stranded: [StatementsInFlight<PostgresConnection>.Stranded]
        do {
            stranded = try await onConnectionOfItsOwn { [logger] probe in
                let listed = try await Self.activity(of: known.map(\.pid), on: probe, logger: logger)
                let stranded = StatementsInFlight.stranded(due: due, idle: idle, listed: listed, limit: Self.strandedAfter)
                for backend in stranded.compactMap(\.backend) where listed[backend.pid]?.backend == backend {
                    try await probe.run("SELECT pg_terminate_backend(\(backend.pid))", logger: logger)
                }
                return stranded
            }
        } catch {
            return
        }
        for found in stranded {
            logger.warning(
                "a connection to PostgreSQL leads nowhere: \(Self.whyStranded(found.reason)); it is closed\(found.strandedAStatement ? ", its statement answered as the database out of reach," : "") and the pool opens another",
                metadata: ["sb.store.backend_pid": "\(found.backend.map { "\($0.pid)" } ?? "unknown")"]
            )
            observer?.connectionStranded()
            try? await found.connection.close()
        }
    }

    private static func whyStranded(_ reason: StatementsInFlight<PostgresConnection>.Stranded.Reason) -> String {
        switch reason {
        case .neverReached: "the server has waited \(strandedAfter.configText) or more for its statement, and its process is ended"
        case .noProcess: "its statement waited \(strandedAfter.configText), and the server has no process for it (another server answers at the address now, or the network lost it)"
        case .unknownProcess: "its first statement has had no answer for \(strandedAfter.configText), while the server answers others"
        case .idleWithoutProcess: "it is idle, and the server has no process for it"
        }
    }

    /// What the server lists of the processes `pids`, by process id.
    private static func activity(of pids: [Int32], on connection: PostgresConnection, logger: Logger) async throws -> [Int32: BackendActivity] {
        let rows = try await connection.query(
            """
            SELECT pid, COALESCE((extract(epoch FROM backend_start) * 1000000)::bigint, 0), state,
                (extract(epoch FROM clock_timestamp() - state_change) * 1000000)::bigint
            FROM pg_stat_activity WHERE pid = ANY(\(pids))
            """,
            logger: logger
        ).collect()
        var listed: [Int32: BackendActivity] = [:]
        for row in rows {
            let (pid, started, state, inStateMicroseconds) = try row.decode((Int32, Int64, String?, Int64?).self)
            listed[pid] = BackendActivity(
                backend: PostgresBackend(pid: pid, startedMicroseconds: started), state: state, inStateFor: .microseconds(inStateMicroseconds ?? 0)
            )
        }
        return listed
    }
}
