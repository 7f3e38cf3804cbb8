package import Foundation
package import Logging
import ServiceLifecycle
package import SwitchboardCore

/// Closes the messages an earlier daemon left `pending` when it stopped mid-send (a crash,
/// `kill -9`) as `interrupted`, with a note; they are never sent again. See ``InterruptedMessages``.
///
/// It sweeps once at start, and once more when the delivery deadline has passed since the start:
/// a message created just before the start may still be in flight in another daemon sharing the
/// store, so the first sweep leaves it; by the second every send from before the start is over.
/// The deadline is the one in force: a reload that lengthens `delivery.deadline` before the second
/// sweep makes it wait longer. Added after the store's service, so it stops before the store closes.
package struct InterruptedMessagesSweep: Service {
    private let messages: any MessageStore
    private let processStart: Date
    /// The instant of `processStart` on `clock`, from which the second sweep waits.
    private let startInstant: ContinuousClock.Instant
    private let deadline: @Sendable () -> Duration
    private let clock: any SwitchboardClock
    private let logger: Logger

    /// - Parameters:
    ///   - messages: The message log.
    ///   - processStart: When this daemon started; none of its own messages are touched.
    ///   - deadline: `delivery.deadline` in force, the most one send may take; read at each use.
    ///   - clock: The clock that stamps messages (the gateway's).
    ///   - logger: Where the count is reported.
    package init(
        messages: any MessageStore, processStart: Date, deadline: @escaping @Sendable () -> Duration, clock: any SwitchboardClock = SystemClock(),
        logger: Logger
    ) {
        self.messages = messages
        self.processStart = processStart
        self.startInstant = clock.now - clock.date.duration(since: processStart)
        self.deadline = deadline
        self.clock = clock
        self.logger = logger
    }

    /// A sweep with a deadline that never changes.
    package init(
        messages: any MessageStore, processStart: Date, deadline: Duration, clock: any SwitchboardClock = SystemClock(), logger: Logger
    ) {
        self.init(messages: messages, processStart: processStart, deadline: { deadline }, clock: clock, logger: logger)
    }

    package func run() async throws {
        await sweep(atStart: true)
        do {
            try await cancelWhenGracefulShutdown { [clock, deadline, startInstant] in
                // Until the deadline in force has passed since the start, however a reload changes it meanwhile.
                while clock.now < startInstant + deadline() {
                    try await clock.sleep(until: startInstant + deadline())
                }
            }
        } catch {
            // Shutting down before the second sweep: the next start closes what is left.
            return
        }
        await sweep(atStart: false)
        try await gracefulShutdown()
    }

    /// Marks what may be marked now, and logs the count: always at start, later only when there
    /// was something to mark. A failure is logged, not thrown: the rows stay pending, the next start
    /// tries again, and serving does not depend on it.
    /// - Returns: How many messages were marked, or `nil` when the store failed.
    @discardableResult
    package func sweep(atStart: Bool) async -> Int? {
        let at = clock.date
        let cutoff = InterruptedMessages.cutoff(processStart: processStart, now: at, deadline: deadline())
        let marked: Int
        do {
            marked = try await messages.markInterrupted(createdBefore: cutoff, note: InterruptedMessages.note(at: at))
        } catch {
            logger.storeFailure("could not close messages left pending by an earlier stop", error: error)
            return nil
        }
        if marked > 0 {
            logger.notice(
                "messages left pending by an earlier stop closed as interrupted; they are not sent again (switchboard messages --status interrupted)",
                metadata: ["sb.messages.interrupted": "\(marked)"]
            )
        } else if atStart {
            logger.info("no messages were left pending by an earlier stop", metadata: ["sb.messages.interrupted": "0"])
        }
        return marked
    }
}
