import Foundation
package import Logging

/// Asynchronous delivery: a message is checked and recorded as `queued` now, and sent later by a
/// worker through the same dispatcher, breakers and provider limits as a synchronous send.
///
/// Only messages whose logged text is the text sent can be queued: a message with a code (an OTP)
/// logs the code masked, so it could not be sent from the log, and it stays synchronous.
extension Gateway {
    /// Why a message cannot be queued.
    package enum QueueRefusal: Error, Sendable, Equatable {
        /// Its text carries a code that the log keeps masked.
        case carriesCode
    }

    /// What a worker's send of a queued message came to. The record itself is in the store: the
    /// worker only needs to know which, and a record returned up the path would be held, for every
    /// queued send in flight, in the frame of each call waiting for it.
    package enum QueuedDelivery: Sendable, Equatable {
        /// Accepted or failed, saved with every attempt.
        case finished
        /// No provider was tried, each for a reason that passes (its request slots and queue full,
        /// its breaker open, its Retry-After): it is queued again.
        case requeued
    }

    /// Makes every check of a send (the number, the app and its countries, the route, the sender,
    /// the rendering) and returns the record to queue, without saving it.
    /// - Throws: `SendError` as `send` would, or ``QueueRefusal/carriesCode``.
    package func queuedRecord(for request: SendRequest) throws -> MessageRecord {
        let checked = try prepare(request)
        guard request.kind == .transactional, checked.rendered.text == checked.loggedText else { throw QueueRefusal.carriesCode }
        return record(of: request, checked, status: .queued)
    }

    /// Saves a record from ``queuedRecord(for:)``; once this returns, the message survives a crash
    /// and will be sent.
    package func enqueue(_ record: MessageRecord, logger: Logger) async throws {
        try await store.save(record)
        logger.logOutsideFrame(
            .info, "message queued",
            metadata: ["sb.message.id": "\(record.id)", "sb.route": "\(record.route)", "sb.country": "\(record.country)"]
        )
    }

    /// Sends a message a worker claimed (`pending`, see ``MessageStore/claimQueued(limit:at:)``) and
    /// saves its outcome, or queues it again when no provider could take a request yet.
    ///
    /// The route is decided again, from the configuration in force now; the sender and text are the
    /// ones checked when it was queued.
    /// - Throws: Store errors as they are (the message then stays `pending`, and a later start
    ///   closes it as `interrupted`: it may have been sent).
    package func deliverQueued(_ claimed: MessageRecord, logger: Logger) async throws -> QueuedDelivery {
        // Set aside ahead of the send's own frame, so that it is in the room too, with the frames
        // of the calls below it.
        TaskStack.reserve(TaskStack.deliveryPath)
        return try await deliverQueuedNow(claimed, logger: logger)
    }

    /// The queued send itself, in the room `deliverQueued` set aside.
    @inline(never)
    private func deliverQueuedNow(_ claimed: MessageRecord, logger: Logger) async throws -> QueuedDelivery {
        let start = clock.now
        let deadline = start + config.delivery.deadline
        // Decided in a synchronous call, and finished or failed in functions of their own: what
        // only those steps need stays out of this function's frame, which every queued send in
        // flight keeps while the providers are called.
        let outgoing: (message: OutboundMessage, plan: DeliveryPlan)
        switch outgoingOfQueued(claimed) {
        case .success(let decided): outgoing = decided
        case .failure(let error): return try await saveUnroutable(claimed, error)
        }
        let attempts = await dispatcher.deliver(outgoing.message, plan: outgoing.plan, deadline: deadline, logger: logger)
        return try await finishQueued(claimed, route: outgoing.plan.route, attempts: attempts, start: start, logger: logger)
    }

    /// A queued record's message as the providers get it, and its plan, from the configuration in force now.
    private func outgoingOfQueued(_ record: MessageRecord) -> Result<(message: OutboundMessage, plan: DeliveryPlan), any Error> {
        do {
            let number = try PhoneNumberParser.parse(record.to)
            let sender = try record.sender.isEmpty ? nil : SenderID(parsing: record.sender)
            guard let decision = router.decide(number, app: record.app, kind: record.kind) else {
                throw SendError.noRoute(number: number.e164, country: number.region)
            }
            let message = OutboundMessage(
                id: record.id, to: number, sender: sender, text: record.loggedText, encoding: record.encoding, segments: record.segments
            )
            return .success((message, DeliveryPlan(decision, kind: record.kind)))
        } catch {
            return .failure(error)
        }
    }

    /// Saves the queued record as failed for good, with the reason it can no longer be sent. Only a
    /// configuration changed since the message was queued gets here.
    @inline(never)
    private func saveUnroutable(_ queued: MessageRecord, _ error: any Error) async throws -> QueuedDelivery {
        try await store.save(unroutable(queued, error))
        return .finished
    }

    /// The queued record failed for good, with the reason it can no longer be sent.
    private func unroutable(_ queued: MessageRecord, _ error: any Error) -> MessageRecord {
        var record = queued
        record.attempts = [
            DeliveryAttempt(
                provider: InterruptedMessages.unknownProvider, outcome: .permanent, providerCode: "not_routable",
                providerMessage: "the message can no longer be sent as queued: \(error)", latencyMicroseconds: 0, startedAt: clock.date
            )
        ]
        record.status = .failed
        record.updatedAt = clock.date
        return record
    }

    /// Saves a queued send's outcome, or puts it back in the queue. Never inlined: an async
    /// function's frame holds all that any part of it keeps across a suspension, for as long as it
    /// runs, and what saving needs would otherwise be held by every queued send in flight while its
    /// providers are called. (Each of the worker's sends is a task of its own, whose memory goes
    /// when it ends.)
    @inline(never)
    private func finishQueued(
        _ claimed: MessageRecord, route: String, attempts: [DeliveryAttempt], start: ContinuousClock.Instant, logger: Logger
    ) async throws -> QueuedDelivery {
        let requeued = Self.waitsForProviders(attempts)
        let record = outcome(of: claimed, route: route, attempts: attempts, requeued: requeued)
        try await store.save(record)
        if requeued { return .requeued }
        reportFinished(queued: record, start: start, logger: logger)
        return .finished
    }

    /// The claimed record as it is saved: queued again, or concluded on the route it was sent by.
    @inline(never)
    private func outcome(of claimed: MessageRecord, route: String, attempts: [DeliveryAttempt], requeued: Bool) -> MessageRecord {
        var record = claimed
        if requeued {
            record.status = .queued
            record.attempts = []
            record.updatedAt = clock.date
        } else {
            record.route = route
            record.conclude(with: attempts, at: clock.date)
        }
        return record
    }

    /// Tells the observer and the log of a queued send's saved outcome.
    @inline(never)
    private func reportFinished(queued record: MessageRecord, start: ContinuousClock.Instant, logger: Logger) {
        observer?.sendFinished(record, elapsed: clock.now - start)
        logger.info(
            "queued send finished",
            metadata: [
                "sb.message.id": "\(record.id)", "sb.status": "\(record.status.rawValue)", "sb.route": "\(record.route)",
                "sb.provider": "\(record.provider ?? "-")", "sb.country": "\(record.country)",
            ]
        )
    }

    /// No provider was tried, each skipped for a reason that passes: its request slots and wait
    /// queue were taken, its breaker is open, or it asked to wait. A synchronous send answers that
    /// with 503 and Retry-After, for the caller to come back; for a message nobody waits on, the
    /// worker comes back: later, not failed. A send cut short (deadline, cancellation) is not one.
    static func waitsForProviders(_ attempts: [DeliveryAttempt]) -> Bool {
        !attempts.isEmpty && attempts.allSatisfy { $0.outcome == .skipped && $0.providerCode.map(passingSkips.contains) == true }
    }

    private static let passingSkips: Set<String> = [
        SkipReason.queueFull.code, SkipReason.queueTimeout.code, SkipReason.breakerOpen(until: nil).code,
        SkipReason.retryAfter(until: .now).code,
    ]
}
