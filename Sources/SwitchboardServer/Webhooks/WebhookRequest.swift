import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardProviders

/// The HTTP request of one try of an event, signed with the secret in force now.
enum WebhookRequest {
    /// Why an event can no longer be sent: the configuration that would sign it is gone.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case noApp(String)
        case noWebhook(String)
        case noTwilioAccount(String)
        case callbackRefused(CallbackURL.Problem)
        case malformedBody

        var description: String {
            switch self {
            case .noApp(let app): "the app '\(app)' is no longer configured"
            case .noWebhook(let app): "the app '\(app)' no longer has a webhook"
            case .noTwilioAccount(let app): "the app '\(app)' no longer has twilio_api, whose auth token signs the callback"
            case .callbackRefused(let problem): "the StatusCallback URL \(problem)"
            case .malformedBody: "the stored callback body is not a form"
            }
        }
    }

    static let userAgent = "Switchboard-Webhooks/1"

    /// - Parameter timestamp: Unix seconds, signed into `Switchboard-Signature`.
    static func make(for event: WebhookEvent, config: SwitchboardConfig, timestamp: Int64) -> Result<TransportRequest, Refusal> {
        guard let app = config.app(event.app) else { return .failure(.noApp(event.app)) }
        switch event.format {
        case .switchboard:
            // The URL and secret in force: a reload that moves the receiver or rotates the secret applies to events already waiting.
            guard let webhook = app.webhook else { return .failure(.noWebhook(app.id)) }
            let headers = [
                ("Content-Type", "application/json"), ("User-Agent", userAgent), (SwitchboardSignature.eventIDHeader, event.id),
                (SwitchboardSignature.header, SwitchboardSignature.value(secret: webhook.secret, timestamp: timestamp, body: event.body)),
            ]
            return .success(TransportRequest(method: "POST", url: webhook.url, headers: headers, body: Array(event.body.utf8)))
        case .twilio:
            guard let account = app.twilioAPI else { return .failure(.noTwilioAccount(app.id)) }
            // Checked again at each try: the app may have stopped allowing private receivers.
            if let problem = CallbackURL.check(event.url, httpsUnlessLoopback: false, allowPrivate: account.allowPrivateCallbacks) {
                return .failure(.callbackRefused(problem))
            }
            guard let fields = URLEncodedPairs.parse(event.body) else { return .failure(.malformedBody) }
            let headers = [
                ("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", "TwilioProxy/1.1"),
                ("I-Twilio-Idempotency-Token", event.id),
                (TwilioSignature.header.rawName, TwilioSignature.sign(url: event.url, parameters: fields, key: account.authToken)),
            ]
            return .success(TransportRequest(method: "POST", url: event.url, headers: headers, body: Array(event.body.utf8)))
        }
    }
}
