import Foundation
package import Hummingbird
package import SwitchboardCore
package import SwitchboardJSON

/// A message as the API shows it.
///
/// Written with ``JSONWriter`` rather than the context's `JSONEncoder`: this is the answer of every
/// send, and the encoder's reflection-driven containers cost more than the rest of the answer.
/// Fields and formats are the encoder's: snake_case names, nil fields left out, ISO 8601 dates.
package struct MessageAnswer: ResponseGenerator {
    var id: String
    var status: String
    var app: String
    var kind: String
    var to: String
    var country: String
    var route: String
    var sender: String
    var text: String
    var provider: String?
    var providerMessageID: String?
    var encoding: String
    var segments: Int
    var attempts: [AttemptAnswer]
    /// The provider's receipts and the statuses they moved the message through; written only
    /// when there are receipts.
    var receipts: [DeliveryReceipt]
    var history: [(status: MessageStatus, at: Date)]
    var createdAt: Date
    var updatedAt: Date

    package init(_ record: MessageRecord) {
        id = record.id
        status = record.status.rawValue
        app = record.app
        kind = record.kind.rawValue
        to = record.to
        country = record.country
        route = record.route
        sender = record.sender
        text = record.loggedText
        provider = record.provider
        providerMessageID = record.providerMessageID
        encoding = record.encoding.rawValue
        segments = record.segments
        attempts = record.attempts.map(AttemptAnswer.init)
        receipts = record.receipts
        history = record.receipts.isEmpty ? [] : record.statusHistory
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    package func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", id)
        writer.member("status", status)
        writer.member("app", app)
        writer.member("kind", kind)
        writer.member("to", to)
        writer.member("country", country)
        writer.member("route", route)
        writer.member("sender", sender)
        writer.member("text", text)
        if let provider { writer.member("provider", provider) }
        if let providerMessageID { writer.member("provider_message_id", providerMessageID) }
        writer.member("encoding", encoding)
        writer.member("segments", segments)
        writer.key("attempts")
        writer.beginArray()
        for attempt in attempts { attempt.write(to: &writer) }
        writer.endArray()
        if !receipts.isEmpty {
            writer.key("receipts")
            writer.beginArray()
            for receipt in receipts {
                writer.beginObject()
                writer.member("provider_status", receipt.providerStatus)
                if let status = receipt.status { writer.member("status", status.rawValue) }
                if let errorCode = receipt.errorCode { writer.member("error_code", errorCode) }
                writer.member("received_at", ISO8601Timestamp.string(receipt.receivedAt))
                writer.endObject()
            }
            writer.endArray()
            writer.key("history")
            writer.beginArray()
            for step in history {
                writer.beginObject()
                writer.member("status", step.status.rawValue)
                writer.member("at", ISO8601Timestamp.string(step.at))
                writer.endObject()
            }
            writer.endArray()
        }
        writer.member("created_at", ISO8601Timestamp.string(createdAt))
        writer.member("updated_at", ISO8601Timestamp.string(updatedAt))
        writer.endObject()
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        // Room for a send's answer with its attempt at once, rather than a copy as it grows.
        var writer = JSONWriter(capacity: 1024)
        write(to: &writer)
        var headers = HTTPFields()
        headers.reserveCapacity(4)
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(writer.bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}

/// One delivery attempt as the API shows it. Still `Encodable` for the error answers, which list
/// the attempts of a failed delivery through `APIError`'s encoder.
struct AttemptAnswer: Encodable, Sendable {
    var provider: String
    var outcome: String
    var providerCode: String?
    var providerMessage: String?
    var providerMessageID: String?
    var latencyMs: Double
    var startedAt: Date

    init(_ attempt: DeliveryAttempt) {
        provider = attempt.provider
        outcome = attempt.outcome.rawValue
        providerCode = attempt.providerCode
        providerMessage = attempt.providerMessage
        providerMessageID = attempt.providerMessageID
        latencyMs = Double(attempt.latencyMicroseconds) / 1000
        startedAt = attempt.startedAt
    }

    enum CodingKeys: String, CodingKey {
        case provider, outcome
        case providerCode = "provider_code"
        case providerMessage = "provider_message"
        case providerMessageID = "provider_message_id"
        case latencyMs = "latency_ms"
        case startedAt = "started_at"
    }

    /// The same fields as `encode(to:)`, with the date as `MessageAnswer` writes dates.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("provider", provider)
        writer.member("outcome", outcome)
        if let providerCode { writer.member("provider_code", providerCode) }
        if let providerMessage { writer.member("provider_message", providerMessage) }
        if let providerMessageID { writer.member("provider_message_id", providerMessageID) }
        writer.member("latency_ms", latencyMs)
        writer.member("started_at", ISO8601Timestamp.string(startedAt))
        writer.endObject()
    }
}
