import Foundation
import Logging
import SwitchboardJSON

/// `server.log_format: json`: each record as one JSON object on one line,
/// `{"time":…,"level":…,"message":…,"label":…,"request_id":…,"sb.app":…}`, metadata keys as they
/// are, the request's id lifted to `request_id`.
enum JSONLogLine {
    /// The record's line, newline included.
    static func line(_ record: LogRecord) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.member("time", timestamp(record.time))
        writer.member("level", record.level.rawValue)
        writer.member("message", record.message)
        writer.member("label", record.label)
        let requestIDKey = LineLogHandler.requestIDKey
        if let requestID = record.metadata[requestIDKey] { writer.member("request_id", requestID.description) }
        for (key, value) in record.sortedMetadata where key != requestIDKey {
            writer.key(key)
            write(value, into: &writer)
        }
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func write(_ value: Logger.Metadata.Value, into writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .stringConvertible(let convertible): writer.string(convertible.description)
        case .array(let values):
            writer.beginArray()
            for value in values { write(value, into: &writer) }
            writer.endArray()
        case .dictionary(let members):
            writer.beginObject()
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                writer.key(key)
                write(value, into: &writer)
            }
            writer.endObject()
        }
    }

    /// `2026-11-27T05:23:26.042Z`: UTC, to the millisecond.
    static func timestamp(_ date: Date) -> String {
        let seconds = ISO8601Timestamp.string(date)
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let fraction = String(milliseconds)
        return String(seconds.dropLast()) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }
}
