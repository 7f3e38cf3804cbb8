package import Crypto
package import Foundation

/// Makes one-time codes and their keyed hashes.
package enum OTPCodes {
    /// A code of `length` decimal digits from the system CSPRNG, each digit uniform.
    package static func generate(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
    }

    /// HMAC-SHA256 of the code, bound to the challenge so a hash is useless for any other challenge.
    package static func hash(code: String, challengeID: String, key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(message(code: code, challengeID: challengeID).utf8), using: key))
    }

    /// Whether `code` is the challenge's code; constant time in the code's content.
    package static func matches(code: String, challengeID: String, codeHash: [UInt8], key: SymmetricKey) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(
            codeHash, authenticating: Data(message(code: code, challengeID: challengeID).utf8), using: key
        )
    }

    private static func message(code: String, challengeID: String) -> String {
        "otp:v1:\(challengeID):\(code)"
    }

    /// A random identifier: 16 bytes, base64url.
    package static func randomID(bytes: Int = 16) -> String {
        randomBytes(bytes).base64URLEncoded
    }

    /// Bytes from the system CSPRNG.
    package static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

extension Data {
    /// Base64url without padding (RFC 7515).
    package var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
