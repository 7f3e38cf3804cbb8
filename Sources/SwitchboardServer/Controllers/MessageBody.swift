import Foundation
import Hummingbird
import SwitchboardCore

/// A message as the API shows it.
struct MessageBody: ResponseEncodable {
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
    var attempts: [AttemptBody]
    var createdAt: Date
    var updatedAt: Date

    init(_ record: MessageRecord) {
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
        attempts = record.attempts.map(AttemptBody.init)
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status, app, kind, to, country, route, sender, text, provider, encoding, segments, attempts
        case providerMessageID = "provider_message_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One delivery attempt as the API shows it.
struct AttemptBody: Encodable, Sendable {
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
}
