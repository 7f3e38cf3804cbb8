package import Crypto
package import Foundation
import SwitchboardCore

/// Makes one-time codes and their keyed hashes.
package enum OTPCodes {
    /// A code of `length` decimal digits from the system CSPRNG, each digit uniform.
    package static func generate(length: Int) -> String {
        var digits: [UInt8] = []
        digits.reserveCapacity(length)
        while digits.count < length {
            // Bytes from 250 up are dropped, so every digit is equally likely: 250 is 25 tens.
            for byte in SecureRandom.bytes(length - digits.count + 2) where byte < 250 && digits.count < length {
                digits.append(UInt8(ascii: "0") + byte % 10)
            }
        }
        return String(decoding: digits, as: UTF8.self)
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
        Base64URL.encode(SecureRandom.bytes(bytes))
    }
}

extension Data {
    /// Base64url without padding (RFC 7515).
    package var base64URLEncoded: String {
        Base64URL.encode(self)
    }
}

/// Base64url without padding (RFC 7515), written in one pass.
package enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        append(bytes, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` to `output`.
    package static func append(_ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + (bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = second == nil ? nil : iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            if second != nil { output.append(alphabet[Int(group >> 6 & 63)]) }
            if third != nil { output.append(alphabet[Int(group & 63)]) }
        }
    }
}
