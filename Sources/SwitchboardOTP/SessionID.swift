package import Foundation
import SwitchboardCore

/// Makes session ids: the creation time in milliseconds, twelve hex digits, then 128 random bits
/// (base64url), so that ids sort by when their sessions opened.
///
/// A login's new session is a row keyed by its id and a refresh token indexed by it. Keys in
/// creation order go where the last ones went, on an index page that every login of a commit
/// shares; random keys put each login's rows on a page of its own somewhere in each index, and a
/// commit writes every page it touched whole. The random part alone keeps an id unguessable.
package enum SessionID {
    package static func make(at date: Date) -> String {
        UInt64(max(0, date.timeIntervalSince1970 * 1000)).hexDigits(width: 12) + OTPCodes.randomID()
    }
}
