package import Logging
import ServiceLifecycle
import Synchronization
package import SwitchboardCore

/// Sends the messages accepted with `"async": true`: it claims the oldest queued messages from the
/// message log, at most `delivery.async.workers` in flight at once, and sends each through the
/// gateway's dispatcher (failover, breakers, provider limits), saving each outcome.
///
/// It wakes when a message is queued or a send finishes, and every `delivery.async.poll` otherwise
/// (to find messages another daemon queued, or that were put back). A message put back because
/// every provider was skipped (slots full, breaker open, Retry-After) makes it stop claiming for
/// one `poll`, so those providers are not asked again at once.
///
/// On graceful shutdown it stops claiming and waits for the sends in flight, each of which ends
/// within the delivery deadline. Added after the background work and before the sweep, so it stops
/// before the HTTP client and the store.
package struct AsyncDeliveryWorker: Service {
    private let gateway: @Sendable () -> Gateway
    private let messages: any MessageStore
    private let queue: AsyncQueue
    private let settings: AsyncDeliverySettings
    private let clock: any SwitchboardClock
    private let logger: Logger

    /// - Parameters:
    ///   - gateway: The gateway in force, which sends each claimed message (a reload replaces it).
    ///   - messages: The message log the queue lives in.
    ///   - queue: The daemon's count and doorbell, shared with the HTTP API.
    ///   - settings: `delivery.async`.
    ///   - clock: Stamps claims and times the poll.
    ///   - logger: Where store failures are reported.
    package init(
        gateway: @escaping @Sendable () -> Gateway, messages: any MessageStore, queue: AsyncQueue, settings: AsyncDeliverySettings,
        clock: any SwitchboardClock = SystemClock(), logger: Logger
    ) {
        self.gateway = gateway
        self.messages = messages
        self.queue = queue
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    package func run() async throws {
        let sends = SendsInFlight()
        await recount()
        await withDiscardingTaskGroup { group in
            var idle = false
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if sends.takeHold() {
                    await pause(for: settings.poll)
                    continue
                }
                let free = settings.workers - sends.count
                if free <= 0 || idle {
                    await waitForWork()
                    idle = false
                    continue
                }
                let claimed: [MessageRecord]
                do {
                    claimed = try await messages.claimQueued(limit: free, at: clock.date)
                } catch {
                    logger.storeFailure("could not claim queued messages", error: error)
                    idle = true
                    continue
                }
                guard !claimed.isEmpty else {
                    await recount()
                    idle = true
                    continue
                }
                queue.claimed(claimed.count)
                sends.started(claimed.count)
                for record in claimed {
                    group.addTask { await deliver(record, sends: sends) }
                }
            }
        }
    }

    private func deliver(_ record: MessageRecord, sends: SendsInFlight) async {
        do {
            if case .requeued = try await gateway().deliverQueued(record, logger: logger) {
                queue.requeued()
                sends.hold()
            }
        } catch {
            logger.logOutsideFrame(
                .error, "could not record the outcome of a queued message; it stays pending and the next start closes it as interrupted",
                metadata: ["sb.message.id": "\(record.id)", "sb.error": "\(logDescription(of: error))"]
            )
        }
        sends.finished()
        queue.doorbell.ring()
    }

    /// Until a message is queued or a send finishes, a `poll` passes, or a graceful shutdown starts.
    private func waitForWork() async {
        await queue.doorbell.wait(atMost: settings.poll, clock: clock)
    }

    /// Until `duration` passes or a graceful shutdown starts.
    private func pause(for duration: Duration) async {
        let clock = self.clock
        try? await cancelWhenGracefulShutdown { try await clock.sleep(until: clock.now + duration) }
    }

    /// Takes the store's count of queued messages for the daemon's, at start and when the queue is found empty.
    private func recount() async {
        do {
            queue.recount(try await messages.countQueued())
        } catch {
            logger.storeFailure("could not count queued messages", error: error)
        }
    }
}

/// The worker's sends in flight, and whether one asked it to hold off claiming.
private final class SendsInFlight: Sendable {
    private let state = Mutex((count: 0, hold: false))

    var count: Int { state.withLock { $0.count } }

    func started(_ count: Int) { state.withLock { $0.count += count } }

    func finished() { state.withLock { $0.count -= 1 } }

    /// A send was put back: claim nothing for a while.
    func hold() { state.withLock { $0.hold = true } }

    /// Whether a hold was asked for since the last call.
    func takeHold() -> Bool {
        state.withLock { state in
            defer { state.hold = false }
            return state.hold
        }
    }
}

/// The service group logs each service's description at start: the worker's own would spell out
/// the gateway and its configuration, secrets included.
extension AsyncDeliveryWorker: CustomStringConvertible {
    package var description: String { "AsyncDeliveryWorker(workers: \(settings.workers))" }
}
