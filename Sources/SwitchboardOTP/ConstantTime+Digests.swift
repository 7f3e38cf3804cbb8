import Crypto
import Foundation
import SwitchboardCore

extension ConstantTime {
    /// Whether two strings are equal, compared as their SHA-256 digests, so the time depends on
    /// neither their content nor their lengths (a secret's length is worth hiding too).
    static func equalDigests(_ a: String, _ b: String) -> Bool {
        equal(SHA256.hash(data: Data(a.utf8)), SHA256.hash(data: Data(b.utf8)))
    }
}
