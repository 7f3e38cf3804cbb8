import Logging
import PostgresNIO
import ServiceLifecycle
import SwitchboardCore
import Synchronization

/// The store's connections to PostgreSQL: postgres-nio's pool (`PostgresClient`), watched.
///
/// Left to itself, the client's pool meets a server that went away (stopped, restarted, failed
/// over, cut off by the network) by keeping every statement waiting for a connection until its
/// circuit breaker trips, then failing each; and once the server is back it connects only when its
/// pause between attempts runs out, a pause that grows at each failed attempt. A network that goes
/// silent, dropping packets rather than refusing them, leaves statements on connections already
/// open waiting for as long as the system's TCP keeps retrying. Watched, a statement that loses its
/// connection, or statements waiting for a connection or for their answer while none is handed out
/// and none finishes, start a probe (``DatabaseReachability``); when the probe cannot reach the
/// server the pool is closed, which ends every wait and every statement on its connections at
/// once, and statements fail without waiting (``StoreUnavailable``) until a probe reaches it
/// again, when a new pool opens. A statement still waiting after ``strandedAfter`` while the
/// server answers has its connection asked about (``closeStrandedConnections()``): one that leads
/// nowhere is closed.
///
/// Run it as a service (``run()``) for as long as the store is used.
final class PostgresPool: Service, Sendable {
    /// How often the watch looks at the waits for connections, and probes while in doubt.
    static let tick: Duration = .milliseconds(250)
    /// How long statements may wait, for a connection or for their answers, with none handed out
    /// and none finished, before a probe.
    static let stallLimit: Duration = .seconds(1)
    /// The longest a probe takes: its connection and its one statement.
    static let probeLimit: Duration = .seconds(3)
    /// What a refused statement's caller is told to wait.
    static let retryAfter: Duration = .seconds(2)
    /// The `application_name` of the pool's connections, and of the probe's.
    static let applicationName = "switchboard"
    static let probeApplicationName = "switchboard probe"

    private let configuration: PostgresClient.Configuration
    private let probeConfiguration: PostgresConnection.Configuration
    let logger: Logger
    let observer: (any StoreReachabilityObserver)?
    /// This daemon's clock, compared with the server's (``checkClock()``).
    let clock: any SwitchboardClock
    /// The pool statements lease from, once its run has started.
    private let current: Mutex<Current>
    /// The first pool, made with the store so that nothing waits for ``run()`` to make it.
    private let first: PostgresClient
    private let reachability = Mutex(DatabaseReachability())
    /// Statements waiting for a connection or running on one, and how many connections have been
    /// handed out and statements finished so far.
    private let busy = Atomic<Int>(0)
    private let progress = Atomic<Int>(0)
    /// The connections running statements, for finding those stranded (``closeStrandedConnections()``).
    let statements = Mutex(StatementsInFlight<PostgresConnection>())
    /// Rung when a pool's run has started, when the pool is to close, and when a new one is to open.
    private let started = Doorbell()
    private let closing = Doorbell()
    private let reopening = Doorbell()

    private enum Current {
        /// A pool whose run is starting: statements wait for it, rather than lease from a pool
        /// that does not run yet (which the client library warns of) or be refused.
        case opening(waiters: [CheckedContinuation<PostgresClient?, Never>])
        case open(PostgresClient)
        /// No pool: the server cannot be reached, or the store has stopped.
        case closed
    }

    /// - Parameters:
    ///   - configuration: The pool's, as every pool this makes has it.
    ///   - probeConfiguration: The same server, for the probe's connections.
    ///   - observer: Hears when the server is found out of reach and when it is back, and how far
    ///     its clock is from this daemon's.
    init(
        configuration: PostgresClient.Configuration, probeConfiguration: PostgresConnection.Configuration, logger: Logger,
        observer: (any StoreReachabilityObserver)? = nil, clock: any SwitchboardClock = SystemClock()
    ) {
        self.configuration = configuration
        var probeConfiguration = probeConfiguration
        probeConfiguration.options.connectTimeout = .seconds(Self.probeLimit.components.seconds)
        probeConfiguration.options.additionalStartupParameters = [("application_name", Self.probeApplicationName)]
        self.probeConfiguration = probeConfiguration
        self.logger = logger
        self.observer = observer
        self.clock = clock
        first = PostgresClient(configuration: configuration, backgroundLogger: logger)
        current = Mutex(.opening(waiters: []))
    }

    /// Runs the pool, and each pool after it, the watch and the clock check, until cancelled or a
    /// graceful shutdown.
    func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.watch() }
                group.addTask { await self.checkClock() }
                await self.runPools()
                group.cancelAll()
            }
        }
        close()
    }

    /// Runs the current pool until the watch closes it, then waits for the watch to open the next.
    private func runPools() async {
        var next: PostgresClient? = first
        while let client = next, !Task.isCancelled {
            await withDiscardingTaskGroup { running in
                running.addTask {
                    self.started.ring()
                    await client.run()
                }
                await started.wait()
                install(client)
                await closing.wait()
                running.cancelAll()
            }
            await reopening.wait()
            next = Task.isCancelled ? nil : PostgresClient(configuration: configuration, backgroundLogger: logger)
        }
    }

    /// The pool whose run has started is the one statements lease from, unless the watch closed
    /// it meanwhile; the statements waiting for it go on.
    private func install(_ client: PostgresClient) {
        let waiters = current.withLock { state -> [CheckedContinuation<PostgresClient?, Never>] in
            guard case .opening(let waiters) = state else { return [] }
            state = .open(client)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: client) }
    }

    /// No pool: statements are refused, those waiting for one too.
    private func close() {
        let waiters = current.withLock { state -> [CheckedContinuation<PostgresClient?, Never>] in
            defer { state = .closed }
            guard case .opening(let waiters) = state else { return [] }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// A new pool is on its way: statements wait for it.
    private func reopen() {
        current.withLock { state in
            if case .opening = state { return }
            state = .opening(waiters: [])
        }
    }

    /// The running pool, waiting while one opens; `nil` when there is none.
    private func openPool() async -> PostgresClient? {
        let open = current.withLock { state -> PostgresClient? in
            if case .open(let client) = state { return client }
            return nil
        }
        if let open { return open }
        return await withCheckedContinuation { continuation in
            let answer = current.withLock { state -> PostgresClient?? in
                switch state {
                case .opening(var waiters):
                    waiters.append(continuation)
                    state = .opening(waiters: waiters)
                    return .none
                case .open(let client): return .some(client)
                case .closed: return .some(nil)
                }
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Leases a connection for `body`; a connection that broke, or a server out of reach, is
    /// ``StoreUnavailable``, and a server known to be out of reach is refused without waiting.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        guard let client = await openPool() else { throw refusal() }
        busy.add(1, ordering: .relaxed)
        defer {
            busy.subtract(1, ordering: .relaxed)
            progress.add(1, ordering: .relaxed)
        }
        do {
            return try await client.withConnection { connection in
                progress.add(1, ordering: .relaxed)
                let unknown = statements.withLock { $0.begin(on: connection, at: .now) }
                defer { statements.withLock { $0.end(on: connection) } }
                if unknown { try await learnBackend(of: connection) }
                return try await body(connection)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Throws ``StoreUnavailable`` while the server is known to be out of reach, so that a caller
    /// about to act on the world (a provider's send) can stop before it has nothing to record it in.
    func checkReachable() throws {
        let closed = current.withLock { state in
            if case .closed = state { return true }
            return false
        }
        if closed { throw refusal() }
    }

    private func refusal() -> StoreUnavailable {
        let reason =
            switch reachability.withLock({ $0.state }) {
            case .unreachable(_, let reason): reason
            case .reachable, .doubtful: "the store has stopped"
            }
        return StoreUnavailable(reason: reason, retryAfter: Self.retryAfter)
    }

    /// `error`, or ``StoreUnavailable`` when it says the connection or server went away, which
    /// also starts a probe.
    private func failure(_ error: any Error) -> any Error {
        guard let reason = PostgresConnectionFailure.reason(of: error) else { return error }
        let known = reachability.withLock { state -> String? in
            state.connectionFailed()
            if case .unreachable(_, let known) = state.state { return known }
            return nil
        }
        return StoreUnavailable(reason: known ?? reason, retryAfter: Self.retryAfter)
    }

    /// Every tick: raises a doubt when statements have waited a ``stallLimit`` with no connection
    /// handed out and no statement finished, and probes while in doubt or out of reach. A statement
    /// that is only slow (a lock it waits for, a large delete) costs a probe that reaches the server.
    private func watch() async {
        var lastProgress = progress.load(ordering: .relaxed)
        var stalledSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.tick)
            let now = ContinuousClock.now
            let made = progress.load(ordering: .relaxed)
            if busy.load(ordering: .relaxed) > 0, made == lastProgress {
                let since = stalledSince ?? now
                stalledSince = since
                if since.duration(to: now) >= Self.stallLimit {
                    reachability.withLock { $0.connectionFailed() }
                    stalledSince = nil
                }
            } else {
                stalledSince = nil
            }
            lastProgress = made
            guard !Task.isCancelled else { continue }
            guard reachability.withLock({ $0.state }) != .reachable else {
                await closeStrandedConnections()
                continue
            }
            let result = await probe()
            // A probe cut short because the store is stopping says nothing of the server.
            guard !Task.isCancelled else { return }
            let action: DatabaseReachability.Action
            switch result {
            case .reached: action = reachability.withLock { $0.probeSucceeded(at: .now) }
            case .unreachable(let problem): action = reachability.withLock { $0.probeFailed(reason: problem, at: .now) }
            case .inconclusive: continue
            }
            act(on: action)
        }
    }

    private func act(on action: DatabaseReachability.Action) {
        switch action {
        case .none:
            break
        case .closePool(let reason):
            close()
            logger.error(
                "PostgreSQL cannot be reached; requests that need it answer 503 until it can, probed every \(Self.tick)",
                metadata: ["sb.store.error": "\(reason)"]
            )
            observer?.reachabilityChanged(reachable: false)
            closing.ring()
        case .openPool(let outage):
            logger.notice("PostgreSQL can be reached again; a new pool of connections opens", metadata: ["sb.store.outage": "\(outage.configText)"])
            reopen()
            observer?.reachabilityChanged(reachable: true)
            reopening.ring()
        }
    }

    private enum ProbeResult {
        case reached
        case unreachable(String)
        /// The server answered, but not to the probe's statement: it took the connection and then
        /// ended it (an administrator ending every connection ends the probe's too), or it refused
        /// the connection for want of a free one (`max_connections`, or the role's or database's
        /// limit, while the pool's connections work). No sign it is away; the next tick probes
        /// again, and finds a server that is going down refusing connections.
        case inconclusive
    }

    /// Connects on a connection of its own and asks whether the server takes writes
    /// (`SHOW transaction_read_only`, as libpq's `target_session_attrs=read-write` does), within
    /// ``probeLimit``. A server that answers but takes no writes is of no more use than one out of
    /// reach: the next probe may find a primary at the address.
    private func probe() async -> ProbeResult {
        do {
            let writable = try await onConnectionOfItsOwn { [logger] connection in
                try await connection.query("SHOW transaction_read_only", logger: logger).collect().first?.decode(String.self) == "off"
            }
            return writable ? .reached : .unreachable(Self.takesNoWrites)
        } catch is ProbeInterrupted {
            return .inconclusive
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.tooManyConnections {
            return .inconclusive
        } catch {
            return .unreachable(PostgresConnectionFailure.reason(of: error) ?? logDescription(of: error))
        }
    }

    /// Runs `body` on a connection of its own, outside the pool, within ``probeLimit`` for the
    /// connection and `body` together.
    /// - Throws: The connection's error; ``ProbeInterrupted`` when `body` fails; a timeout.
    func onConnectionOfItsOwn<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { [probeConfiguration, logger] in
                let connection = try await PostgresConnection.connect(configuration: probeConfiguration, id: 0, logger: logger)
                let value: T
                do {
                    // A statement waits for its answer through cancellation; on a silent
                    // network only closing its connection ends the wait.
                    value = try await withTaskCancellationHandler {
                        try await body(connection)
                    } onCancel: {
                        connection.close().whenComplete { _ in }
                    }
                } catch {
                    try? await connection.close()
                    throw ProbeInterrupted()
                }
                try? await connection.close()
                return value
            }
            group.addTask {
                try await Task.sleep(for: Self.probeLimit)
                throw ProbeTimedOut()
            }
            guard let first = try await group.next() else { throw ProbeTimedOut() }
            group.cancelAll()
            return first
        }
    }

    private struct ProbeInterrupted: Error {}

    /// Why a probe that found the server read-only counts it out of reach, for the log and the refusals.
    private static let takesNoWrites = "the server takes no writes (transaction_read_only is on: a read-only standby, or a former primary after a failover)"

    /// SQLSTATE `too_many_connections`.
    private static let tooManyConnections = "53300"

    private struct ProbeTimedOut: Error, CustomStringConvertible {
        var description: String { "no answer within \(PostgresPool.probeLimit)" }
    }
}

/// Every statement runs on a connection first checked open (``PostgresConnection/checkedOpen()``).
extension PostgresPool: PostgresQueryRunner {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { try await $0.run(query, logger: logger) }
    }

    @discardableResult
    func run<Statement: PreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await withConnection { try await $0.run(statement, logger: logger) }
    }
}
