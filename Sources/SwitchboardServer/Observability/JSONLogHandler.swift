package import Foundation
package import Logging
import SwitchboardJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each record as one JSON object on one line (`server.log_format: json`):
/// `{"time":…,"level":…,"message":…,"label":…,"request_id":…,"sb.app":…}`, metadata keys as they
/// are, the request's id lifted to `request_id`.
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    package var logLevel: Logger.Level = .info
    private let label: String
    private let output: @Sendable ([UInt8]) -> Void

    /// The metadata key of a request's id: Hummingbird's, which ``RequestIDMiddleware`` sets.
    static let requestIDKey = "hb.request.id"

    /// - Parameter write: Takes one finished line, newline included.
    package init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = write
    }

    /// A handler writing to standard error, each line in one `write(2)`, so lines from
    /// concurrent requests never interleave.
    package static func standardError(label: String, metadataProvider: Logger.MetadataProvider? = nil) -> JSONLogHandler {
        JSONLogHandler(label: label, metadataProvider: metadataProvider) { line in
            line.withUnsafeBytes { writeAll($0, to: STDERR_FILENO) }
        }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        output(Self.line(time: Date(), level: event.level, message: "\(event.message)", label: label, metadata: merged))
    }

    /// One record as a line of JSON, newline included.
    static func line(time: Date, level: Logger.Level, message: String, label: String, metadata: Logger.Metadata) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.member("time", Self.timestamp(time))
        writer.member("level", level.rawValue)
        writer.member("message", message)
        writer.member("label", label)
        if let requestID = metadata[requestIDKey] { writer.member("request_id", requestID.description) }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key != requestIDKey {
            writer.key(key)
            Self.write(value, into: &writer)
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

/// Writes every byte, or as many as the descriptor takes before it fails (a closed stderr).
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
    guard var next = bytes.baseAddress else { return }
    var left = bytes.count
    while left > 0 {
        let written = write(descriptor, next, left)
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        next += written
        left -= written
    }
}
