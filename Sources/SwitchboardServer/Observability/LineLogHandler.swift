import Foundation
package import Logging
package import SwitchboardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes each record as one line, in `server.log_format`: text (``TextLogLine``) or JSON
/// (``JSONLogLine``). Metadata is kept as it is set and formatted only when a record is written:
/// every request sets its id, and most requests write nothing at the default level, so building
/// the metadata's text on each change (as swift-log's `StreamLogHandler` does) would be spent on
/// lines that never appear.
package struct LineLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    package var logLevel: Logger.Level = .info
    private let label: String
    private let format: LogFormat
    private let output: @Sendable ([UInt8]) -> Void

    /// The metadata key of a request's id: Hummingbird's, which ``RequestEnvelopeMiddleware`` sets.
    static let requestIDKey = "hb.request.id"

    /// - Parameter write: Takes one finished line, newline included.
    package init(
        label: String, format: LogFormat, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.label = label
        self.format = format
        self.metadataProvider = metadataProvider
        self.output = write
    }

    /// A handler writing to standard error, each line in one `write(2)`, so lines from
    /// concurrent requests never interleave.
    package static func standardError(label: String, format: LogFormat, metadataProvider: Logger.MetadataProvider? = nil) -> LineLogHandler {
        LineLogHandler(label: label, format: format, metadataProvider: metadataProvider) { line in
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
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let record = LogRecord(time: Date(), level: event.level, message: "\(event.message)", label: label, source: event.source, metadata: merged)
        switch format {
        case .text: output(TextLogLine.line(record))
        case .json: output(JSONLogLine.line(record))
        }
    }
}

/// One record, its metadata merged, as a line format reads it.
struct LogRecord {
    var time: Date
    var level: Logger.Level
    var message: String
    var label: String
    /// The module that logged it.
    var source: String
    var metadata: Logger.Metadata

    /// The metadata in key order.
    var sortedMetadata: [(key: String, value: Logger.Metadata.Value)] {
        metadata.sorted { $0.key < $1.key }
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
