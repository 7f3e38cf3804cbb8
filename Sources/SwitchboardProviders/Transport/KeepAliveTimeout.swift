import SwitchboardCore

/// How long a server said it keeps an idle connection open (`Keep-Alive: timeout=5, max=100`, as
/// Apache sends by default). A request written as the server closes its end is lost in a way that
/// cannot be told from one the provider took, so a connection is not reused near that time.
package enum KeepAliveTimeout {
    /// The announced timeout in an answer's `Keep-Alive` values, or nil when they announce none
    /// (or an unreadable one).
    package static func announced(in values: [String]) -> Duration? {
        for value in values {
            for parameter in value.utf8.split(separator: UInt8(ascii: ",")) {
                let pair = parameter.split(separator: UInt8(ascii: "="), maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingASCIIBlanks().equalsIgnoringASCIICase("timeout".utf8) else { continue }
                guard let seconds = Int64(String(decoding: pair[1].trimmingASCIIBlanks(), as: UTF8.self)), seconds >= 0 else { return nil }
                return .seconds(seconds)
            }
        }
        return nil
    }

    /// How long an idle connection may wait for its next request: our own limit, or a second less
    /// than the server's, whichever is shorter; zero or less means it is not kept.
    package static func keep(ourLimit: Duration, announced: Duration?) -> Duration {
        guard let announced else { return ourLimit }
        return min(ourLimit, announced - .seconds(1))
    }
}
