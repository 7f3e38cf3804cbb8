import Foundation
package import Logging
import PostgresNIO
package import SwitchboardCore

/// All of Switchboard's state in a PostgreSQL database, which several daemons may share.
///
/// Every rule that must hold across daemons is kept by the database, not by this process: each
/// read-modify-write runs in one transaction that first takes a transaction-scoped advisory lock
/// on what it is about (a user in an app, a number's send counter, an identifier), or locks the
/// rows it changes (`SELECT … FOR UPDATE`), or is one atomic statement (`INSERT … ON CONFLICT`).
/// The two steps every login makes, issuing a code and judging one, are server-side functions
/// (migration 9) called in one statement each: their locks are held while the database runs them,
/// not across round trips to this process. They, the user lookup and the batch save of messages
/// always run their generic plans (migration 12). Commits are durable before they return (PostgreSQL's default `synchronous_commit`).
///
/// Open it with ``open(_:logger:maxBatchSize:commits:)`` and call ``migrate()`` before use. Nothing
/// reaches the database until the store runs: in the daemon, its ``services`` (the connection pool,
/// then the store's writer of message saves) in the service group, which stops the writer first at
/// graceful shutdown; in a command or a test, ``withRunning(_:_:)``.
package struct PostgresStore: Sendable {
    /// The connections, watched for a server that went away.
    let pool: PostgresPool
    let settings: PostgresSettings
    let logger: Logger
    /// Groups concurrent message saves into one statement each batch (group commit).
    let saves: PostgresSaveWriter

    /// Makes a pool of `settings.pool` connections, and the writer of message saves; neither runs
    /// yet. Once the pool runs it opens its connections and keeps them open; ``migrate()``, on a
    /// connection of its own, is what finds out whether the database can be reached.
    /// - Parameters:
    ///   - settings: Where the database is.
    ///   - logger: The store's logger: an outage and a server clock far from this daemon's above
    ///     `info`, the rest at `info` and below.
    ///   - maxBatchSize: The most message saves one statement holds.
    ///   - commits: Hears of each batch of message saves committed (metrics).
    ///   - reachability: Hears when the database is found out of reach and when it is back, when a
    ///     connection is found to lead nowhere, and how far the server's clock is from this
    ///     daemon's (metrics).
    ///   - clock: This daemon's clock, which the server's is compared with.
    /// - Throws: ``PostgresStoreError/rootCertificates(path:problem:)`` when the authorities the
    ///   URL's `sslrootcert` names cannot be read.
    package static func open(
        _ settings: PostgresSettings, logger: Logger, maxBatchSize: Int = 256, commits: (any StoreCommitObserver)? = nil,
        reachability: (any StoreReachabilityObserver)? = nil, clock: any SwitchboardClock = SystemClock()
    ) throws -> PostgresStore {
        var configuration = try settings.clientConfiguration()
        // A fixed pool, without keep-alive queries: the client's pool schedules a timer task for each
        // connection each time it falls idle (one to close it after a while unless it is one of the
        // minimum, one to run the keep-alive query), and cancels them when the connection is next
        // leased. A daemon's connections fall idle between nearly every statement, so with
        // those timers most of the tasks a login ran were the pool's. A connection that breaks
        // is made again (see the README on firewalls that drop idle connections).
        configuration.options.minimumConnections = settings.pool
        configuration.options.maximumConnections = settings.pool
        configuration.options.keepAliveBehavior = nil
        // Named, so that `pg_stat_activity` tells the daemons' connections from others'.
        configuration.options.additionalStartupParameters = [("application_name", PostgresPool.applicationName)]
        let pool = PostgresPool(
            configuration: configuration, probeConfiguration: try settings.connectionConfiguration(), logger: logger, observer: reachability,
            clock: clock
        )
        let saves = PostgresSaveWriter(maxBatchSize: maxBatchSize, logger: logger, commits: commits) { records in
            let statement = MessageRecord.saveStatement(records)
            _ = try await pool.withConnection { connection in
                try await ConnectionLoop(connection).run { _, connection in try await connection.run(statement, logger: logger) }
            }
        }
        return PostgresStore(pool: pool, settings: settings, logger: logger, saves: saves)
    }

    /// Refuses message saves from now on: the store's writer then writes those queued and stops.
    /// Closing twice is harmless.
    package func close() async throws {
        saves.close()
    }

    /// Runs `body` in one transaction on one pooled connection: committed when it returns, rolled
    /// back when it throws, with `body`'s error (a store error, a refused value), the one worth
    /// reporting. `BEGIN`, `COMMIT` and `ROLLBACK` are statements like the others, each on a
    /// connection checked open (``PostgresConnection/checkedOpen()``).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in
            try await connection.run("BEGIN", logger: logger)
            let value: T
            do {
                value = try await body(connection)
            } catch {
                // A connection that cannot roll back is one the server ended: the pool replaces it.
                _ = try? await connection.run("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.run("COMMIT", logger: logger)
            return value
        }
    }
}
