import Foundation

/// A symmetric Standard Webhooks signing secret, written `v1,whsec_BASE64` as Supabase shows it
/// (`whsec_BASE64` alone is accepted too): the key is the base64 text decoded.
package struct StandardWebhookSecret: Sendable, Equatable {
    /// The key bytes the signature's HMAC-SHA256 is computed with.
    package let key: [UInt8]

    /// Keys shorter than this are refused: a guessable key lets anyone send codes as Supabase.
    package static let minimumKeyBytes = 16

    package init(key: [UInt8]) {
        self.key = key
    }

    /// The secret in `text`, or why it is not one.
    package static func parse(_ text: String) -> Result<StandardWebhookSecret, ParseProblem> {
        var rest = Substring(text)
        if rest.hasPrefix("v1,") { rest = rest.dropFirst(3) }
        guard rest.hasPrefix("whsec_") else { return .failure(.missingPrefix) }
        guard let key = Data(base64Encoded: String(rest.dropFirst(6))) else { return .failure(.notBase64) }
        guard key.count >= minimumKeyBytes else { return .failure(.tooShort(bytes: key.count)) }
        return .success(StandardWebhookSecret(key: Array(key)))
    }

    package enum ParseProblem: Error, Equatable, CustomStringConvertible {
        case missingPrefix
        case notBase64
        case tooShort(bytes: Int)

        package var description: String {
            switch self {
            case .missingPrefix: "is not a Standard Webhooks secret; write it as Supabase shows it: v1,whsec_ followed by base64"
            case .notBase64: "has text after whsec_ that is not base64; copy the secret again from Supabase"
            case .tooShort(let bytes):
                "holds \(bytes) bytes of key, fewer than \(minimumKeyBytes); generate a new secret in Supabase"
            }
        }
    }
}
