package import Logging
import Synchronization

/// Every log record a test's logger wrote, for checking what was logged and what never was.
package final class LogRecords: Sendable {
    package struct Record: Sendable {
        package var level: Logger.Level
        package var message: String
        package var metadata: [String: String]
        /// Where the record says it comes from: the module (`source`), `#fileID` and line.
        package var source: String = ""
        package var file: String = ""
        package var lineNumber: UInt = 0

        /// `level message key=value ...`, with the keys sorted: what a log line would show.
        package var line: String {
            "\(level) \(message) \(metadata.map { "\($0)=\($1)" }.sorted().joined(separator: " "))"
        }
    }

    private let records = Mutex<[Record]>([])

    package init() {}

    package var all: [Record] { records.withLock { $0 } }

    /// Every record as a log line.
    package var lines: [String] { all.map(\.line) }

    /// A logger at trace level whose records land here.
    package func logger(label: String) -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(records: self) }
        logger.logLevel = .trace
        return logger
    }

    func append(_ record: Record) { records.withLock { $0.append(record) } }
}

/// A log handler that keeps every record in a `LogRecords`.
package struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .trace

    package init(records: LogRecords) {
        self.records = records
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        records.append(
            LogRecords.Record(
                level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }, source: event.source, file: event.file,
                lineNumber: event.line
            )
        )
    }
}
