import Crypto
import Foundation
import SwitchboardCore

/// The Standard Webhooks signature, which Supabase Auth signs its hook calls with.
///
/// `webhook-signature` holds one or more space-separated `v1,BASE64` entries (Supabase separates
/// them with `", "`), each an HMAC-SHA256 under one secret over `ID.TIMESTAMP.BODY`. A call is
/// genuine when any entry matches any of our secrets and its timestamp is near now: a captured call
/// replayed later is refused.
struct StandardWebhookSignature {
    /// How far from now, either way, a call's timestamp may be.
    static let tolerance: Int64 = 5 * 60
    /// The longest `webhook-id` accepted; genuine ones are UUIDs or short ids.
    static let maximumIDLength = 256

    enum Refusal: Error, Equatable, CustomStringConvertible {
        case missingHeader(String)
        case malformedHeader(String)
        case stale
        case wrongSignature

        var description: String {
            switch self {
            case .missingHeader(let name): "the \(name) header is missing; the call must be signed as Standard Webhooks sign"
            case .malformedHeader(let name): "the \(name) header is malformed"
            case .stale: "webhook-timestamp is more than five minutes away from now; a replayed call is refused"
            case .wrongSignature: "webhook-signature does not match any of the app's supabase_hook secrets"
            }
        }
    }

    /// Checks one call; returns nothing when it is genuine.
    static func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], secrets: [StandardWebhookSecret], now: Date) throws(Refusal) {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard id.utf8.count <= maximumIDLength, !id.contains(".") else { throw .malformedHeader("webhook-id") }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
        guard timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let seconds = Int64(timestamp) else {
            throw .malformedHeader("webhook-timestamp")
        }
        guard abs(Int64(now.timeIntervalSince1970.rounded(.down)) - seconds) <= tolerance else { throw .stale }
        guard let signature, !signature.isEmpty else { throw .missingHeader("webhook-signature") }
        let presented = entries(of: signature)
        guard !presented.isEmpty else { throw .malformedHeader("webhook-signature") }
        let signed = Array("\(id).\(timestamp).".utf8) + body
        for secret in secrets {
            let key = SymmetricKey(data: secret.key)
            for mac in presented where HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key) {
                return
            }
        }
        throw .wrongSignature
    }

    /// The `v1` entries' MACs; entries of other versions, or not base64, are left out.
    static func entries(of header: String) -> [[UInt8]] {
        header.split(whereSeparator: \.isWhitespace).compactMap { token in
            var entry = token[...]
            while entry.last == "," { entry = entry.dropLast() }
            guard entry.hasPrefix("v1,"), let mac = Data(base64Encoded: String(entry.dropFirst(3))), !mac.isEmpty else { return nil }
            return Array(mac)
        }
    }

    /// The header value that signs `body` with `secret`: what a sender puts in `webhook-signature`.
    static func sign(id: String, timestamp: Int64, body: [UInt8], secret: StandardWebhookSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(timestamp).".utf8) + body, using: SymmetricKey(data: secret.key))
        return "v1," + Data(mac).base64EncodedString()
    }
}
