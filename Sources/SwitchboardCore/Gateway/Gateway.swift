import Foundation
package import Logging

/// The one send interface: every message (OTP, API, CLI) is routed, rendered, delivered and recorded here.
///
/// A class: its configuration is large, and a gateway is handed to every send (the queue's worker
/// takes the one in force for each message it sends), which then holds one reference instead of a
/// copy of the configuration in its frame, and retains once instead of once per string and array.
package final class Gateway: Sendable {
    package let config: SwitchboardConfig
    package let router: Router
    private let renderer: MessageRenderer
    let dispatcher: any DeliveryDispatcher
    let store: any MessageStore
    private let background: BackgroundWork?
    let clock: any SwitchboardClock
    let observer: (any SendObserver)?

    /// - Parameters:
    ///   - config: The validated configuration.
    ///   - dispatcher: Walks a route's provider chain.
    ///   - store: Where every message is recorded.
    ///   - background: Where a send saves its record as pending while its providers are called;
    ///     `nil` saves it before they are called (commands and tests that run no services).
    ///   - clock: Sets the send's deadline and stamps its record.
    ///   - observer: Hears of every send that reached the providers (metrics).
    package init(
        config: SwitchboardConfig, dispatcher: any DeliveryDispatcher, store: any MessageStore, background: BackgroundWork? = nil,
        clock: any SwitchboardClock = SystemClock(), observer: (any SendObserver)? = nil
    ) {
        self.config = config
        self.router = Router(rules: config.routes)
        self.renderer = MessageRenderer(maxSegments: config.messages.maxSegments)
        self.dispatcher = dispatcher
        self.store = store
        self.background = background
        self.clock = clock
        self.observer = observer
    }

    /// Routes, renders, delivers and records one message.
    /// - Returns: The message id, route, provider, encoding and segments.
    /// - Throws: `SendError` for anything wrong with the request or when no provider accepted the
    ///   message (it is recorded as failed, with every attempt); store errors as they are, and
    ///   ``StoreUnavailable`` before any provider is called while the store cannot record the send.
    package func send(_ request: SendRequest, logger: Logger) async throws -> SendResult {
        // Set aside ahead of this send's own frame, which is then in the room too: the frames
        // above, the request's, are in room of their own, with none to spare for it.
        TaskStack.reserve(TaskStack.deliveryPath)
        return try await deliverNow(request, logger: logger)
    }

    /// The send itself, in the room `send` set aside.
    @inline(never)
    private func deliverNow(_ request: SendRequest, logger: Logger) async throws -> SendResult {
        let start = clock.now
        let deadline = start + config.delivery.deadline
        // Built in a synchronous call: what only building needs (the app's settings, the
        // rendering's) stays out of this function's frame, which every send in flight keeps.
        let outgoing = try outgoing(request)
        // No message goes out that the log could not keep.
        try store.checkWritable()
        await savePending(outgoing.record, logger: logger)
        let attempts = await dispatcher.deliver(outgoing.message, plan: outgoing.plan, deadline: deadline, logger: logger)
        return try await finishSend(outgoing.record, sender: outgoing.sender, attempts: attempts, start: start, logger: logger)
    }

    /// Records a send's outcome and makes its result. A function of its own, never inlined: what
    /// only the outcome needs stays out of `deliverNow`'s frame, which waits for the providers.
    /// The record is concluded and the result made in synchronous calls, so that this frame, which
    /// waits for the store, holds the record once.
    @inline(never)
    private func finishSend(
        _ pending: MessageRecord, sender: String?, attempts: [DeliveryAttempt], start: ContinuousClock.Instant, logger: Logger
    ) async throws -> SendResult {
        let record = concluded(pending, with: attempts)
        do {
            try await store.save(record)
        } catch {
            Self.logUnrecorded(record, error: error, logger: logger)
            throw error
        }
        return try finished(record, sender: sender, start: start, logger: logger)
    }

    /// A send whose providers answered but whose outcome the log could not keep: the only trace of
    /// a message a provider may have taken.
    @inline(never)
    private static func logUnrecorded(_ record: MessageRecord, error: any Error, logger: Logger) {
        logger.error(
            "a send's outcome could not be recorded",
            metadata: [
                "sb.message.id": "\(record.id)", "sb.status": "\(record.status.rawValue)", "sb.provider": "\(record.provider ?? "-")",
                "sb.provider.message_id": "\(record.providerMessageID ?? "-")", "sb.error": "\(logDescription(of: error))",
            ]
        )
    }

    /// The pending record with the send's outcome.
    @inline(never)
    private func concluded(_ pending: MessageRecord, with attempts: [DeliveryAttempt]) -> MessageRecord {
        var record = pending
        record.conclude(with: attempts, at: clock.date)
        return record
    }

    /// Reports a saved send's outcome, and makes its result.
    /// - Throws: `SendError.deliveryFailed` when no provider accepted the message.
    @inline(never)
    private func finished(_ record: MessageRecord, sender: String?, start: ContinuousClock.Instant, logger: Logger) throws -> SendResult {
        observer?.sendFinished(record, elapsed: clock.now - start)
        Self.logFinished(record, logger: logger)
        guard record.status == .accepted, let provider = record.provider else { throw SendError.deliveryFailed(record) }
        return SendResult(record: record, sender: sender, provider: provider)
    }

    /// A checked request as the providers get it, and its record in the log, still pending.
    private struct Outgoing {
        var record: MessageRecord
        var message: OutboundMessage
        var plan: DeliveryPlan
        var sender: String?
    }

    private func outgoing(_ request: SendRequest) throws -> Outgoing {
        let checked = try prepare(request)
        let record = record(of: request, checked, status: .pending)
        let message = OutboundMessage(
            id: record.id, to: checked.number, sender: checked.sender, text: checked.rendered.text,
            encoding: checked.rendered.encoding, segments: checked.rendered.segmentCount,
            ownedCode: request.allowsOwnedCode ? ownedCode(request, app: checked.app, decision: checked.decision) : nil
        )
        let plan = DeliveryPlan(checked.decision, kind: request.kind)
        return Outgoing(record: record, message: message, plan: plan, sender: checked.sender?.description)
    }

    /// Records the message as pending while its providers are called, in the background: the
    /// pending record commits in a batch meanwhile, so a send waits for one disk flush (its
    /// outcome's) rather than two. Should it commit after the outcome, the store keeps the newer
    /// record (see `MessageStore.save`).
    private func savePending(_ pending: MessageRecord, logger: Logger) async {
        let store = self.store
        let notPending: @Sendable (any Error) -> Void = { error in
            logger.warning("could not record a message as pending", metadata: ["sb.message.id": "\(pending.id)", "sb.error": "\(logDescription(of: error))"])
        }
        // Straight into the store's queue where it has one: no task per send.
        guard !store.saveWithoutWaiting(pending, failed: notPending) else { return }
        let save: BackgroundWork.Job = {
            do {
                try await store.save(pending)
            } catch {
                notPending(error)
            }
        }
        if background?.submit(save) != true {
            // No background work, or it has stopped taking any (shutting down): save first.
            await save()
        }
    }

    private static func logFinished(_ record: MessageRecord, logger: Logger) {
        logger.logOutsideFrame(
            .info, "send finished",
            metadata: [
                "sb.message.id": "\(record.id)", "sb.status": "\(record.status.rawValue)", "sb.route": "\(record.route)",
                "sb.provider": "\(record.provider ?? "-")", "sb.country": "\(record.country)", "sb.segments": "\(record.segments)",
            ]
        )
    }

    /// A request that passed every check, with what the checks found.
    typealias CheckedRequest = (
        number: PhoneNumber, app: AppSettings, decision: RouteDecision, sender: SenderID?, rendered: RenderedMessage, loggedText: String
    )

    /// Every check a send makes before any provider is called: the number, the app and its
    /// countries, the route, the sender, the rendering. Shared by the synchronous and queued sends,
    /// so a queued message can only fail at the providers.
    func prepare(_ request: SendRequest) throws -> CheckedRequest {
        let number: PhoneNumber
        if let read = request.number {
            number = read
        } else {
            do {
                number = try PhoneNumberParser.parse(request.to)
            } catch {
                throw SendError.invalidNumber(request.to, error)
            }
        }
        guard let app = config.app(request.app) else {
            throw SendError.unknownApp(request.app, known: config.apps.map(\.id))
        }
        guard app.countries.permits(number.region) else {
            throw SendError.countryNotAllowed(app: app.id, country: number.region)
        }
        guard let decision = router.decide(number, app: app.id, kind: request.kind) else {
            throw SendError.noRoute(number: number.e164, country: number.region)
        }
        let sender = request.sender ?? decision.sender
        if case .alphanumeric(let name) = sender, SenderID.countriesRefusingAlphanumeric.contains(number.region) {
            throw SendError.senderRefused(sender: name, country: number.region)
        }
        let (rendered, loggedText) = try render(request, app: app, decision: decision)
        return (number, app, decision, sender, rendered, loggedText)
    }

    /// The log's record of a checked request, created now and not yet saved.
    func record(of request: SendRequest, _ checked: CheckedRequest, status: MessageStatus) -> MessageRecord {
        let createdAt = clock.date
        return MessageRecord(
            id: MessageID.make(at: createdAt), app: checked.app.id, kind: request.kind, to: checked.number.e164,
            country: checked.number.region, route: checked.decision.rule, sender: checked.sender?.description ?? "",
            loggedText: checked.loggedText, encoding: checked.rendered.encoding, segments: checked.rendered.segmentCount,
            status: status, createdAt: createdAt, updatedAt: createdAt
        )
    }

    /// The text to send, and the text to log: the same, but with an OTP's code masked.
    private func render(_ request: SendRequest, app: AppSettings, decision: RouteDecision) throws(SendError) -> (RenderedMessage, String) {
        switch request.content {
        case .text(let text):
            let rendered = try rendering { () throws(RenderError) in try renderer.render(text: text) }
            return (rendered, rendered.text)
        case .template(let otp, let minutes, let custom):
            let template = try chooseTemplate(custom: custom, app: app, decision: decision, kind: request.kind)
            let extras = request.kind == .otp ? app.extras : .none
            let minutes = minutes ?? app.otp.expiresInMinutes
            let values = TemplateValues(app: app.name, otp: otp, minutes: minutes)
            let rendered = try rendering { () throws(RenderError) in try renderer.render(template, values: values, extras: extras) }
            guard let otp else { return (rendered, rendered.text) }
            let masked = TemplateValues(app: app.name, otp: String(repeating: "*", count: otp.count), minutes: minutes)
            let logged = try rendering { () throws(RenderError) in try renderer.render(template, values: masked, extras: extras) }
            return (rendered, logged.text)
        }
    }

    /// For a verify provider: the OTP message with `{otp}` and `{app}` left for the service to
    /// fill, when the template has both (Mosaic refuses a message without them).
    private func ownedCode(_ request: SendRequest, app: AppSettings, decision: RouteDecision) -> OwnedCodeRequest? {
        guard request.kind == .otp, case .template(_, let minutes, let custom) = request.content else { return nil }
        var text: String?
        if let template = try? chooseTemplate(custom: custom, app: app, decision: decision, kind: request.kind),
            template.placeholders.isSuperset(of: [.otp, .app])
        {
            // Rendering the message the route delivers has just succeeded, so this one does too.
            let values = TemplateValues(app: "{app}", otp: "{otp}", minutes: minutes ?? app.otp.expiresInMinutes)
            text = try? renderer.render(template, values: values, extras: .none).text
        }
        return OwnedCodeRequest(app: app.name, template: text)
    }

    private func rendering(_ body: () throws(RenderError) -> RenderedMessage) throws(SendError) -> RenderedMessage {
        do {
            return try body()
        } catch {
            throw .renderFailed(error)
        }
    }

    private func chooseTemplate(custom: MessageTemplate?, app: AppSettings, decision: RouteDecision, kind: MessageKind) throws(SendError) -> MessageTemplate {
        if let custom { return custom }
        if let name = decision.template, let template = config.templates[name] { return template }
        if kind == .otp { return app.message }
        throw .noTemplate(route: decision.rule, kind: kind)
    }
}
