import Crypto
package import Foundation

/// Refresh tokens, and the key each is stored under.
///
/// A token is a ``TimeOrderedID`` with 256 random bits. Only its key is stored: the six bytes of
/// the token's milliseconds, then the SHA-256 of the whole token. The time in front puts each new
/// key after the last; the hash is what a copy of the database cannot turn back into a token.
///
/// Tokens issued before they carried a time are random base64url, shorter than these: their key is
/// the SHA-256 alone, as it was when they were stored, so they keep working until they expire.
package enum RefreshToken {
    static let randomBytes = 32
    /// Twelve hex digits, then the random bytes in base64url without padding.
    static let length = TimeOrderedID.timeDigits + (randomBytes * 4 + 2) / 3

    package static func make(at date: Date) -> String {
        TimeOrderedID.make(at: date, randomBytes: randomBytes)
    }

    /// The key `token` is stored under. Any text has one, so a forged token is simply not found.
    package static func storageKey(of token: String) -> [UInt8] {
        let hash = Array(SHA256.hash(data: Data(token.utf8)))
        guard token.utf8.count == length, let milliseconds = TimeOrderedID.milliseconds(of: token) else { return hash }
        return (0..<6).reversed().map { UInt8(truncatingIfNeeded: milliseconds >> ($0 * 8)) } + hash
    }
}
