import Foundation
import Hummingbird
import SwitchboardCore

/// `POST /v1/messages` sends through the gateway; `GET /v1/messages/{id}` reads the log.
struct MessagesController<Context: RequestContext> {
    let gateway: Gateway
    let messages: any MessageStore
    /// The daemon's breakers: a 503 (every provider skipped) tells the caller when to come back.
    var breakers: CircuitBreakerRegistry?
    /// The queue of `"async": true` sends; `nil` refuses them (no worker runs to send them).
    var queue: AsyncQueue?

    func addRoutes(to group: RouterGroup<Context>) {
        group.post(use: send)
        group.get("{id}", use: show)
    }

    /// The body of `POST /v1/messages`: `text`, or template values (`otp`, `minutes`) for the route's or app's template.
    struct SendRequestBody: Decodable {
        var to: String
        var app: String
        var kind: String?
        var text: String?
        var otp: String?
        var minutes: Int?
        var sender: String?
        /// Answer 202 once the message is queued, and send it later.
        var async: Bool?
    }

    static var sendFields: [String] { ["to", "app", "kind", "text", "otp", "minutes", "sender", "async"] }

    // The handlers of a send answer with the finished `Response`, written in a synchronous call
    // (`answer`): an async function's frame holds the value it returns, and the frames of a request
    // in flight (one per level, from the connection down to the store) stay allocated while it
    // waits. For the same reason neither way of sending is inlined into `send`, which would then
    // hold the frames of both, whichever it takes.
    func send(_ request: Request, context: Context) async throws -> Response {
        let (sendRequest, asynchronous) = try await Self.decodeSend(request)
        if asynchronous {
            return try await enqueue(sendRequest, request: request, context: context)
        }
        return try await sendNow(sendRequest, request: request, context: context)
    }

    /// The body as a send request, and whether it asks to be queued. Never inlined: an async
    /// function's frame holds all that any part of it keeps across a suspension, so what only
    /// decoding needs would otherwise stay in the frame that waits for the providers.
    @inline(never)
    private static func decodeSend(_ request: Request) async throws -> (SendRequest, asynchronous: Bool) {
        let body = try await JSONRequestBody.decode(SendRequestBody.self, allowedFields: Self.sendFields, from: request)
        return (try sendRequest(from: body), body.async == true)
    }

    /// Sends through the gateway and answers `201` with the message, or the send's error.
    @inline(never)
    private func sendNow(_ sendRequest: SendRequest, request: Request, context: Context) async throws -> Response {
        let record: MessageRecord
        do {
            record = try await gateway.send(sendRequest, logger: context.logger).record
        } catch {
            throw Self.answerable(error, breakers: breakers)
        }
        return try Self.answer(record, status: .created, request: request, context: context)
    }

    /// A send's error as the API answers it. Synchronous and never inlined: cast in `sendNow`, a
    /// send's error would take room in its frame while the providers are called.
    @inline(never)
    private static func answerable(_ error: any Error, breakers: CircuitBreakerRegistry?) -> any Error {
        guard let error = error as? SendError else { return error }
        return error.apiError(breakers: breakers)
    }

    /// The message as the answer of a send: `status`, the message's address in `Location`.
    @inline(never)
    static func answer(_ record: MessageRecord, status: HTTPResponse.Status, request: Request, context: Context) throws -> Response {
        var headers = HTTPFields()
        headers[.location] = "/v1/messages/\(record.id)"
        return try EditedResponse(status: status, headers: headers, response: MessageAnswer(record)).response(from: request, context: context)
    }

    func show(_ request: Request, context: Context) async throws -> MessageAnswer {
        let id = try context.parameters.require("id")
        guard let record = try await messages.message(id: id) else {
            throw APIError.notFound("there is no message with id '\(id)'")
        }
        return MessageAnswer(record)
    }

    static func sendRequest(from body: SendRequestBody) throws -> SendRequest {
        let kind: MessageKind
        if let text = body.kind {
            guard let parsed = MessageKind(rawValue: text) else {
                throw APIError.badRequest("invalid_field", "field 'kind' must be \"otp\" or \"transactional\", not \"\(text)\"")
            }
            kind = parsed
        } else {
            kind = body.otp == nil ? .transactional : .otp
        }
        let content: MessageContent
        switch (body.text, body.otp ?? (body.minutes != nil ? "" : nil)) {
        case (let text?, nil):
            content = .text(text)
        case (nil, _):
            if let otp = body.otp, otp.isEmpty || !otp.allSatisfy(\.isASCIIDigit) || otp.count > 10 {
                throw APIError.badRequest("invalid_field", "field 'otp' must be 1 to 10 digits")
            }
            if let minutes = body.minutes, !(1...1440).contains(minutes) {
                throw APIError.badRequest("invalid_field", "field 'minutes' must be from 1 to 1440")
            }
            content = .template(otp: body.otp, minutes: body.minutes)
        case (_?, _?):
            throw APIError.badRequest("invalid_field", "give either 'text', or template values ('otp', 'minutes'), not both")
        }
        var sender: SenderID?
        if let text = body.sender {
            do {
                sender = try SenderID(parsing: text)
            } catch {
                throw APIError.badRequest("invalid_sender", "field 'sender': \(error)")
            }
        }
        return SendRequest(to: body.to, app: body.app, kind: kind, content: content, sender: sender)
    }
}
