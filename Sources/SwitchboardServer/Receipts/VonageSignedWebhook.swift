import Crypto
import Foundation
import SwitchboardJSON

/// Vonage's signed webhooks: `Authorization: Bearer JWT`, the JWT signed HS256 with the account's
/// signature secret; its `payload_hash` claim is the hex SHA-256 of the body, so a body changed on
/// the way no longer matches.
enum VonageSignedWebhook {
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case missing
        case malformed
        case wrongAlgorithm
        case wrongSignature
        case bodyNotCovered
        case expired

        var description: String {
            switch self {
            case .missing: "there is no Authorization: Bearer token; receipts must be signed with the signature secret"
            case .malformed: "the bearer token is not a JWT"
            case .wrongAlgorithm: "the JWT is not signed with HS256"
            case .wrongSignature: "the JWT's signature does not match the signature secret"
            case .bodyNotCovered: "the JWT's payload_hash does not match the body"
            case .expired: "the JWT has expired"
            }
        }
    }

    /// Checks one call; returns nothing when it is genuine.
    static func verify(authorization: String?, body: [UInt8], secret: String, now: Date) throws(Refusal) {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { throw .missing }
        let token = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = base64URLDecoded(parts[0]), let claimBytes = base64URLDecoded(parts[1]),
            let signature = base64URLDecoded(parts[2]),
            case .object(let header)? = try? JSONReader.parse(headerBytes), case .object(let claims)? = try? JSONReader.parse(claimBytes)
        else { throw .malformed }
        guard case .string("HS256")? = header["alg"] else { throw .wrongAlgorithm }
        let signed = Array("\(parts[0]).\(parts[1])".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed, using: SymmetricKey(data: Array(secret.utf8))) else {
            throw .wrongSignature
        }
        if case .number(let text)? = claims["exp"], let seconds = Double(text), now.timeIntervalSince1970 > seconds { throw .expired }
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        switch claims["payload_hash"] {
        case .string(let claimed)?:
            guard claimed.lowercased() == hash else { throw .bodyNotCovered }
        default:
            // Without a hash the token says nothing about the body.
            guard body.isEmpty else { throw .bodyNotCovered }
        }
    }

    /// The JWT a sender would put in `Authorization: Bearer` for `body` (tests, and the README's example).
    static func sign(body: [UInt8], secret: String, issuedAt: Date) -> String {
        let header = base64URLEncoded(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let hash = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        let claims = base64URLEncoded(Array(#"{"iat":\#(Int(issuedAt.timeIntervalSince1970)),"payload_hash":"\#(hash)"}"#.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(header).\(claims)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "\(header).\(claims).\(base64URLEncoded(Array(mac)))"
    }

    static func base64URLDecoded(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    static func base64URLEncoded(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
