/// What an app's webhook may subscribe to (`apps.ID.webhook.events`).
package enum WebhookEventType: String, Sendable, CaseIterable, Hashable {
    /// A provider took the message (the send ended accepted).
    case messageAccepted = "message.accepted"
    /// No provider took the message (the send ended failed).
    case messageFailed = "message.failed"
    /// A receipt said the message left the provider for the network.
    case messageSent = "message.sent"
    /// A receipt said the phone received the message.
    case messageDelivered = "message.delivered"
    /// A receipt said the network gave up on the message.
    case messageUndelivered = "message.undelivered"
    /// A code check accepted the code.
    case otpVerified = "otp.verified"
    /// A code check refused the code (wrong, expired, locked, no code waiting).
    case otpFailed = "otp.failed"

    /// The names, in the order the README lists them.
    package static let names = allCases.map(\.rawValue)
}
