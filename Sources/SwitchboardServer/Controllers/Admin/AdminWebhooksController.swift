import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// `GET /admin/webhook-events` (by state: `pending`, `delivered`, `dead`) and
/// `POST /admin/webhook-events/{id}/redeliver`: the webhook outbox for operators, and a dead
/// event given another `max_age` of tries.
struct AdminWebhooksController<Context: RequestContext> {
    let store: any WebhookStore
    let configuration: ConfigurationReloader
    let clock: any SwitchboardClock

    static var defaultLimit: Int { 50 }
    static var maximumLimit: Int { 500 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("webhook-events", use: list)
        group.post("webhook-events/{id}/redeliver", use: redeliver)
    }

    struct Event: Encodable {
        var id: String
        var app: String
        var type: String
        var state: String
        var attempts: Int
        /// Scheme, host and path: a query or user info may hold a receiver's token.
        var receiver: String
        var created_at: Date
        var next_attempt_at: Date
        var expires_at: Date
        var last_error: String?

        init(_ event: WebhookEvent) {
            id = event.id
            app = event.app
            type = event.type
            state = event.state.rawValue
            attempts = event.attempts
            receiver = Self.receiver(event.url)
            created_at = event.createdAt
            next_attempt_at = event.nextAttemptAt
            expires_at = event.expiresAt
            last_error = event.lastError
        }

        static func receiver(_ url: String) -> String {
            guard var components = URLComponents(string: url) else { return "" }
            components.user = nil
            components.password = nil
            components.query = nil
            components.fragment = nil
            return components.string ?? ""
        }
    }

    struct Events: ResponseEncodable {
        var events: [Event]
    }

    struct Redelivered: ResponseEncodable {
        var event: Event
    }

    func list(_ request: Request, context: Context) async throws -> Events {
        let written = request.uri.queryParameters.get("state") ?? WebhookEvent.State.dead.rawValue
        guard let state = WebhookEvent.State(rawValue: written) else {
            throw APIError.badRequest(
                "invalid_state", "state is '\(written)'; write one of \(WebhookEvent.State.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let limit: Int
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw APIError.badRequest("invalid_limit", "limit is '\(text)'; write a whole number from 1 to \(Self.maximumLimit)")
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        let app = request.uri.queryParameters.get("app")
        let events = try await store.webhookEvents(state: state, app: app, limit: limit)
        return Events(events: events.map(Event.init))
    }

    func redeliver(_ request: Request, context: Context) async throws -> Redelivered {
        let id = try context.parameters.require("id")
        guard let event = try await store.webhookEvent(id: id) else {
            throw APIError.notFound("there is no webhook event with id '\(id)'")
        }
        guard event.state == .dead else {
            throw APIError(
                status: .conflict, code: "webhook_event_not_dead",
                message: "the webhook event '\(id)' is \(event.state.rawValue); only a dead event can be redelivered"
            )
        }
        let now = clock.date
        let maxAge = configuration.current.config.app(event.app)?.webhook?.maxAge ?? WebhookSettings.defaultMaxAge
        guard try await store.redeliverWebhookEvent(id: id, now: now, expiresAt: now.adding(maxAge)) else {
            throw APIError(status: .conflict, code: "webhook_event_not_dead", message: "the webhook event '\(id)' is no longer dead")
        }
        context.logger.notice("webhook event redelivered by an operator", metadata: ["sb.webhook.event": "\(id)", "sb.app": "\(event.app)"])
        let updated = try await store.webhookEvent(id: id) ?? event
        return Redelivered(event: Event(updated))
    }
}
