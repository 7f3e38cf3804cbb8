import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `server.log_format: text`, the line swift-log's own handler writes, which people and their
/// tools already read: `2026-12-04T05:00:01+0000 info switchboard: hb.request.id=… sb.app=demo
/// [SwitchboardServer] OTP sent` (local time to the second; the metadata in key order).
enum TextLogLine {
    /// The record's line, newline included.
    static func line(_ record: LogRecord) -> [UInt8] {
        var line = timestamp(record.time)
        line += " \(record.level)"
        line += record.label.isEmpty ? ":" : " \(record.label):"
        for (key, value) in record.sortedMetadata {
            line += " \(key)=\(value)"
        }
        line += " [\(record.source)] \(record.message)\n"
        return Array(line.utf8)
    }

    /// `2026-12-04T05:00:01+0000`: the local time to the second, with its offset from UTC.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
