import Crypto
import Foundation

/// `Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, the header every
/// event to an app's webhook carries (the scheme of Stripe's signatures).
///
/// The timestamp is signed with the body, so a receiver that refuses old timestamps refuses a
/// captured event replayed later; the event id (`Switchboard-Event-Id`) lets it drop duplicates.
enum SwitchboardSignature {
    static let header = "Switchboard-Signature"
    static let eventIDHeader = "Switchboard-Event-Id"

    /// The header's value for `body` sent at `timestamp`.
    static func value(secret: String, timestamp: Int64, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
