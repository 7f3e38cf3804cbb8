import Crypto
import Foundation
import HTTPTypes
import SwitchboardCore

/// Twilio's `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the auth token, over the URL
/// Twilio called followed by every POST parameter sorted by name, each name then its value.
/// Checked on the receipts Twilio sends us, and signed on the status callbacks we send.
enum TwilioSignature {
    static let header = HTTPField.Name("X-Twilio-Signature")!

    /// The signature of a call to `url` with these form parameters.
    static func sign(url: String, parameters: [(name: String, value: String)], key: String) -> String {
        // By name, then value: a repeated name's values in order, as Twilio's libraries sort them.
        let sorted = parameters.sorted { ($0.name.utf8.lexicographicallyPrecedes($1.name.utf8)) || ($0.name == $1.name && $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)) }
        var data = url
        for parameter in sorted { data += parameter.name + parameter.value }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(data.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Whether `presented` signs the call, compared in constant time.
    static func isValid(_ presented: String?, url: String, parameters: [(name: String, value: String)], key: String) -> Bool {
        guard let presented, !presented.isEmpty else { return false }
        return ConstantTime.equal(Array(sign(url: url, parameters: parameters, key: key).utf8), Array(presented.utf8))
    }
}
