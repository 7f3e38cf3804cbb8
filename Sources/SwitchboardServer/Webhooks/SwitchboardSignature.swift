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

/// `X-Twilio-Signature`, as Twilio signs its status callbacks: base64 of HMAC-SHA1, keyed with the
/// account's auth token, over the full URL followed by each POST parameter's name and value,
/// sorted by name.
enum TwilioSignature {
    static let header = "X-Twilio-Signature"

    static func value(url: String, parameters: [(String, String)], authToken: String) -> String {
        var signed = url
        for (name, value) in parameters.sorted(by: { $0.0 < $1.0 }) { signed += name + value }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(signed.utf8), using: SymmetricKey(data: Array(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }
}
