package import Foundation
package import Logging
import ServiceLifecycle
package import SwitchboardCore

/// Deletes what has aged out of the store (``RetentionSettings``): every `retention.every` (the
/// first time that long after start), each
/// kind with a window, in batches of at most `retention.batch` rows with `retention.pause` between
/// them, so that sends never wait behind a long delete. Then gives the freed space back where the
/// store can (``RetentionStore/reclaimSpace()``).
///
/// The settings are read from the configuration in force at each batch, so a reload applies to
/// the next one. Added after the store's service, so it stops before the store closes.
package struct RetentionPurge: Service {
    /// What one pass did (or, in a dry run, would do) to one kind.
    package struct Tally: Sendable, Hashable {
        package var kind: RetainedKind
        /// The window, `nil` when the kind is kept forever.
        package var window: Duration?
        /// Records that ended before this are due; `nil` when the kind is kept forever.
        package var cutoff: Date?
        /// Records deleted (or, in a dry run, due).
        package var rows: Int
    }

    private let stores: [RetainedKind: any RetentionStore]
    private let settings: @Sendable () -> RetentionSettings
    private let clock: any SwitchboardClock
    private let logger: Logger
    /// The abuse rules' counters, purged once no rule reads them (see ``AbuseCounterKind``).
    private let abuse: (any AbuseCounterRetention)?
    /// The apps in force, whose rules' windows say what of the counters is still read.
    private let apps: @Sendable () -> [AppSettings]

    /// - Parameters:
    ///   - stores: The store that holds each kind; a kind without one is never purged.
    ///   - settings: The retention settings in force (read again at every batch).
    ///   - clock: The clock that stamps the records (the gateway's for messages and the inbox).
    ///   - logger: Where each pass that deleted something is reported.
    ///   - abuse: The store of the abuse rules' counters, if any.
    ///   - apps: The apps in force (read again at every pass).
    package init(
        stores: [RetainedKind: any RetentionStore], settings: @escaping @Sendable () -> RetentionSettings,
        clock: any SwitchboardClock = SystemClock(), logger: Logger,
        abuse: (any AbuseCounterRetention)? = nil, apps: @escaping @Sendable () -> [AppSettings] = { [] }
    ) {
        self.abuse = abuse
        self.apps = apps
        self.stores = stores
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    package func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                // A pass waits its turn after start as after a pass: a fleet restarting together
                // does not delete at the moment it starts serving again.
                while true {
                    try await clock.sleep(until: clock.now + settings().every)
                    await passLoggingFailure()
                }
            }
        } catch {
            // Shutting down (the only way out of the loop): what is left goes in the next pass,
            // the next daemon's first.
        }
    }

    /// One pass that reports, rather than throws, a store failure: the rows stay, the next pass
    /// tries again, and serving does not depend on it.
    private func passLoggingFailure() async {
        do {
            _ = try await pass(dryRun: false)
        } catch is CancellationError {
            return
        } catch {
            logger.storeFailure("could not delete aged-out records; the next pass tries again", error: error)
        }
    }

    /// Deletes every record that has aged out now, kind by kind, or with `dryRun` only counts them.
    /// - Returns: One tally per kind, in ``RetainedKind`` order.
    /// - Throws: The store's error, or `CancellationError` when the task is cancelled between batches.
    package func pass(dryRun: Bool) async throws -> [Tally] {
        var tallies: [Tally] = []
        // One instant for the whole pass: a slow pass does not chase rows that age out meanwhile.
        let now = clock.date
        var reclaim: [any RetentionStore] = []
        for kind in RetainedKind.allCases {
            let window = settings().window(kind)
            guard let store = stores[kind], let cutoff = settings().cutoff(kind, now: now) else {
                tallies.append(Tally(kind: kind, window: window, cutoff: nil, rows: 0))
                continue
            }
            let rows = dryRun ? try await store.countPurgeable(kind, endedBefore: cutoff) : try await purge(kind, before: cutoff, in: store)
            if rows > 0, !dryRun { reclaim.append(store) }
            tallies.append(Tally(kind: kind, window: window, cutoff: cutoff, rows: rows))
        }
        let abuseRows = dryRun ? 0 : try await purgeAbuseCounters(now: now)
        for store in reclaim {
            try await store.reclaimSpace()
        }
        if !dryRun, abuseRows > 0 || tallies.contains(where: { $0.rows > 0 }) {
            var metadata: Logger.Metadata = ["sb.retention.abuse_counters": "\(abuseRows)"]
            for tally in tallies { metadata["sb.retention.\(tally.kind.rawValue)"] = "\(tally.rows)" }
            logger.info("deleted records older than their retention window", metadata: metadata)
        }
        return tallies
    }

    /// Deletes batch after batch until one comes back short, pausing between them.
    private func purge(_ kind: RetainedKind, before cutoff: Date, in store: any RetentionStore) async throws -> Int {
        try await inBatches { limit in try await store.purge(kind, endedBefore: cutoff, limit: limit) }
    }

    /// Deletes the abuse rules' counters that no rule of the apps in force reads at `now`, kind by kind.
    /// - Returns: How many rows were deleted.
    package func purgeAbuseCounters(now: Date) async throws -> Int {
        guard let abuse else { return 0 }
        let apps = apps()
        var total = 0
        for kind in AbuseCounterKind.allCases {
            let cutoff = kind.cutoff(now: now, apps: apps)
            total += try await inBatches { limit in try await abuse.purgeAbuseCounters(kind, before: cutoff, limit: limit) }
        }
        return total
    }

    /// Runs `batch` with the batch size until one deletes fewer, pausing between them.
    private func inBatches(_ batch: (Int) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let current = settings()
            let deleted = try await batch(current.batch)
            total += deleted
            guard deleted == current.batch else { return total }
            try await clock.sleep(until: clock.now + current.pause)
        }
    }
}

extension RetentionPurge {
    /// The store of each kind, among the daemon's stores: those that can purge.
    package static func stores(messages: any MessageStore, inbox: any InboxStore, login: any LoginStore) -> [RetainedKind: any RetentionStore] {
        var stores: [RetainedKind: any RetentionStore] = [:]
        stores[.messages] = messages as? any RetentionStore
        stores[.inbox] = inbox as? any RetentionStore
        stores[.sessions] = login as? any RetentionStore
        stores[.challenges] = login as? any RetentionStore
        return stores
    }
}
