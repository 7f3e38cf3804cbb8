package import Foundation
import SwitchboardCore

/// Ids that sort by when they were made: the time in milliseconds, twelve lowercase hex digits,
/// then random bytes (base64url). The random part alone keeps an id unguessable.
///
/// A login stores a session under its id and a refresh token under a key that begins with the
/// token's time (see ``RefreshToken``). Keys in creation order go where the last ones went, on an
/// index page that every login of a commit shares; random keys put each login's rows on a page of
/// its own somewhere in each index, and a commit writes every page it touched whole.
package enum TimeOrderedID {
    static let timeDigits = 12

    package static func make(at date: Date, randomBytes: Int) -> String {
        UInt64(max(0, date.timeIntervalSince1970 * 1000)).hexDigits(width: timeDigits) + OTPCodes.randomID(bytes: randomBytes)
    }

    /// The milliseconds `id` begins with, or nil when it does not begin with twelve lowercase hex
    /// digits.
    package static func milliseconds(of id: String) -> UInt64? {
        var milliseconds: UInt64 = 0
        var digits = 0
        for byte in id.utf8.prefix(timeDigits) {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): milliseconds = milliseconds << 4 | UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): milliseconds = milliseconds << 4 | UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
            digits += 1
        }
        return digits == timeDigits ? milliseconds : nil
    }
}
