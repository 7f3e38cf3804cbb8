/// What a message is for; routes and failover policy may treat the two differently.
package enum MessageKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A one-time passcode for a login.
    case otp
    /// Any other message an app sends.
    case transactional
}
