/// `server.log_format` — how `switchboard serve` writes its log lines to standard error.
package enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// `TIME LEVEL LABEL: key=value ... MESSAGE`, for people.
    case text
    /// One JSON object per line (time, level, message, request id, `sb.*` metadata), for log collectors.
    case json
}
