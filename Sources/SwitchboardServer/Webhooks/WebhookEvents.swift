import Foundation
package import Logging
package import SwitchboardCore
package import SwitchboardOTP

/// The one way events reach the webhook outbox, for one configuration: a message's status
/// changes (its send's end, and later receipts), code checks, and a Twilio-API message's
/// `StatusCallback`.
///
/// An event is stored (durably) before its first try, and only for an app that subscribed to its
/// type. A send never waits for an event: the gateway's end-of-send observer hands the insert to
/// the background work, so a slow store or a full queue costs the send nothing. The price: an
/// event of a send is durable a moment after the send's answer, not before it (a crash in between
/// loses it). Receipts and the Twilio API await the insert (``messageStatusChanged(_:logger:)``,
/// ``statusCallbackStarted(_:url:account:logger:)``), so what they stored is durable when they answer.
package struct WebhookEvents: Sendable {
    let config: SwitchboardConfig
    let publisher: WebhookPublisher

    static let statusCallbackType = "twilio.status_callback"

    /// Stores the app's event for `change`, if it subscribed, and the message's Twilio status
    /// callback, if it was created with one. Returns once they are stored.
    package func messageStatusChanged(_ change: MessageStatusChange, logger: Logger) async {
        guard let app = config.app(change.message.app) else { return }
        if let event = messageEvent(change, app: app) {
            await publisher.insert(event, app: app, logger: logger)
        }
        // The end of a send is told by the Twilio API itself, which knows the callback first.
        guard let account = app.twilioAPI, change.status != .accepted else { return }
        do {
            guard let url = try await publisher.store.statusCallback(messageID: change.message.id) else { return }
            await publisher.insert(statusCallbackEvent(change, url: url, account: account, app: app), app: app, logger: logger)
        } catch {
            logger.error("could not read a message's status callback", metadata: ["sb.message.id": "\(change.message.id)", "sb.error": "\(logDescription(of: error))"])
        }
    }

    /// Remembers a Twilio-API message's `StatusCallback` and stores its first callback, `sent` or
    /// `failed` as its send ended. Returns once both are stored.
    /// - Throws: When the callback URL could not be stored.
    package func statusCallbackStarted(_ record: MessageRecord, url: String, account: TwilioAPISettings, logger: Logger) async throws {
        try await publisher.store.saveStatusCallback(messageID: record.id, url: url)
        guard let change = MessageStatusChange(sendEnded: record), let app = config.app(record.app) else { return }
        await publisher.insert(statusCallbackEvent(change, url: url, account: account, app: app), app: app, logger: logger)
    }

    /// The app's JSON event for a message's status, when it subscribed to it.
    func messageEvent(_ change: MessageStatusChange, app: AppSettings) -> WebhookEvent? {
        guard let webhook = app.webhook, webhook.events.contains(change.status.eventType) else { return nil }
        let record = change.message
        var data: [String: Any] = [
            "message_id": record.id, "status": change.status.rawValue, "kind": record.kind.rawValue, "to": PhoneMask.mask(record.to),
            "country": record.country, "route": record.route, "provider": record.provider ?? NSNull(), "segments": record.segments,
            "status_at": ISO8601Timestamp.string(change.at),
        ]
        if change.status == .failed || change.status == .undelivered {
            data["error"] = ["code": change.errorCode ?? NSNull(), "message": record.attempts.last?.providerMessage ?? NSNull()] as [String: Any]
        }
        return jsonEvent(app: app, webhook: webhook, type: change.status.eventType, data: data)
    }

    /// Twilio's status callback form for the message, as Twilio posts it.
    func statusCallbackEvent(_ change: MessageStatusChange, url: String, account: TwilioAPISettings, app: AppSettings) -> WebhookEvent {
        let record = change.message
        let sid = TwilioMessageSID.sid(forMessageID: record.id) ?? record.id
        let status = change.status.twilioStatus
        var fields: [(String, String)] = [
            ("AccountSid", account.accountSID), ("ApiVersion", "2010-04-01"), ("From", record.sender), ("MessageSid", sid),
            ("MessageStatus", status), ("SmsSid", sid), ("SmsStatus", status), ("To", record.to),
        ]
        if change.status == .failed || change.status == .undelivered {
            // A provider's numeric code when it gave one, else Twilio's 30008 "Unknown error".
            fields.append(("ErrorCode", change.errorCode.flatMap { Int($0) }.map { String($0) } ?? "30008"))
        }
        let now = publisher.clock.date
        return WebhookEvent(
            app: app.id, type: Self.statusCallbackType, format: .twilio, url: url, body: URLEncodedPairs.encode(fields), createdAt: now,
            expiresAt: now.adding(app.webhook?.maxAge ?? WebhookSettings.defaultMaxAge)
        )
    }

    /// `{"id", "type", "app", "created_at", "data"}`, keys sorted, so the stored bytes are the signed ones.
    private func jsonEvent(app: AppSettings, webhook: WebhookSettings, type: WebhookEventType, data: [String: Any]) -> WebhookEvent {
        let now = publisher.clock.date
        let id = WebhookEvent.makeID()
        let envelope: [String: Any] = ["id": id, "type": type.rawValue, "app": app.id, "created_at": ISO8601Timestamp.string(now), "data": data]
        // Only strings, numbers, nulls and nested objects: serialization cannot fail.
        let body = (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return WebhookEvent(
            id: id, app: app.id, type: type.rawValue, format: .switchboard, url: webhook.url, body: String(decoding: body, as: UTF8.self),
            createdAt: now, expiresAt: now.adding(webhook.maxAge)
        )
    }
}

extension WebhookEvents: MessageStatusSink {}

extension WebhookEvents: SendObserver {
    /// The end of a send: `message.accepted` or `message.failed`, stored in the background.
    package func sendFinished(_ record: MessageRecord, elapsed: Duration) {
        guard let change = MessageStatusChange(sendEnded: record), let app = config.app(record.app),
            let event = messageEvent(change, app: app)
        else { return }
        publisher.insertLater(event, app: app)
    }
}

extension WebhookEvents: LoginObserver {
    package func loginEvent(_ event: LoginEvent, app: String, country: String) {}

    /// `otp.verified` or `otp.failed`, for an app that subscribed; stored in the background.
    package func codeChecked(_ result: OTPVerificationResult, app appID: String, userID: String?, number: String?) {
        guard let app = config.app(appID), let webhook = app.webhook else { return }
        let type: WebhookEventType = result == .approved ? .otpVerified : .otpFailed
        guard webhook.events.contains(type) else { return }
        let data: [String: Any] = ["result": result.rawValue, "user_id": userID ?? NSNull(), "to": number.map(PhoneMask.mask) ?? NSNull()]
        publisher.insertLater(jsonEvent(app: app, webhook: webhook, type: type, data: data), app: app)
    }
}
