package import Foundation

/// Makes message ids: `msg_` then the creation time in milliseconds and 64 random bits, in hex,
/// so ids sort by creation time and never collide in practice.
package enum MessageID {
    package static func make(at date: Date = Date()) -> String {
        var random: UInt64 = 0
        withUnsafeMutableBytes(of: &random) { SecureRandom.fill($0) }
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        return "msg_" + milliseconds.hexDigits(width: 12) + random.hexDigits(width: 16)
    }
}
