import Foundation
import Logging
import SwitchboardCore
import SwitchboardServer
import SwitchboardTestSupport
import Synchronization
import Testing

/// `server.log_format`: one line per record, whatever the message holds; JSON objects, or text as
/// swift-log's own handler writes it; metadata formatted only for a record that is written.
@Suite("Log lines")
struct LineLogHandlerTests {
    final class Lines: Sendable {
        private let written = Mutex<[[UInt8]]>([])
        func append(_ line: [UInt8]) { written.withLock { $0.append(line) } }
        var all: [[UInt8]] { written.withLock { $0 } }
    }

    func logger(_ lines: Lines, level: Logger.Level = .info, format: LogFormat = .json) -> Logger {
        var logger = Logger(label: "switchboard") { label in LineLogHandler(label: label, format: format) { lines.append($0) } }
        logger.logLevel = level
        return logger
    }

    func object(_ line: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test("time, level, message, label, the request id lifted to request_id, and the metadata as it is")
    func fields() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "hb.request.id"] = "abc-123"
        logger.info("send finished", metadata: ["sb.route": "uk", "sb.segments": "\(2)"])
        let written = try #require(lines.all.first)
        #expect(written.last == UInt8(ascii: "\n"))
        #expect(written.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
        let fields = try object(written)
        #expect(Set(fields.keys) == ["time", "level", "message", "label", "request_id", "sb.route", "sb.segments"])
        #expect(fields["level"] as? String == "info")
        #expect(fields["message"] as? String == "send finished")
        #expect(fields["label"] as? String == "switchboard")
        #expect(fields["request_id"] as? String == "abc-123")
        #expect(fields["sb.route"] as? String == "uk")
        #expect(fields["sb.segments"] as? String == "2")
        let time = try #require(fields["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "time is \(time)")
    }

    @Test("quotes, newlines and control characters in a message or a value stay inside one line")
    func hostileText() throws {
        let lines = Lines()
        let hostile = "a \"quoted\"\nsecond line\r\u{1B}[31m\u{0}end"
        logger(lines).warning("\(hostile)", metadata: ["sb.error": "\(hostile)", "sb.list": ["x", "y\n"]])
        let written = try #require(lines.all.first)
        #expect(written.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let fields = try object(written)
        #expect(fields["message"] as? String == hostile)
        #expect(fields["sb.error"] as? String == hostile)
        #expect(fields["sb.list"] as? [String] == ["x", "y\n"])
    }

    @Test("records below the level are not written")
    func level() {
        let lines = Lines()
        let logger = logger(lines, level: .notice)
        logger.info("quiet")
        logger.debug("quieter")
        logger.notice("loud")
        #expect(lines.all.count == 1)
    }

    /// What swift-log's `StreamLogHandler` writes, for comparison.
    final class Stream: TextOutputStream, @unchecked Sendable {
        private let written = Mutex<[String]>([])
        func write(_ string: String) { written.withLock { $0.append(string) } }
        var all: [String] { written.withLock { $0 } }
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "refused by the provider" }
    }

    @Test("text: the line swift-log's StreamLogHandler writes, metadata in key order, an error's message and type included")
    func textMatchesStreamLogHandler() throws {
        let lines = Lines()
        let stream = Stream()
        var ours = logger(lines, format: .text)
        var theirs = Logger(label: "switchboard") { label in StreamLogHandler(label: label, stream: stream, metadataProvider: nil) }
        ours[metadataKey: "hb.request.id"] = "abc-123"
        theirs[metadataKey: "hb.request.id"] = "abc-123"
        for logger in [ours, theirs] {
            logger.info("send finished", metadata: ["sb.route": "uk", "sb.segments": "\(2)", "sb.list": ["a", "b"]])
            logger.warning("attempt failed", error: Refused())
            logger.notice("no metadata of its own")
        }
        let written = lines.all.map { String(decoding: $0, as: UTF8.self) }
        #expect(written.count == 3 && stream.all.count == 3)
        for (line, expected) in zip(written, stream.all) {
            // The second of the timestamp may differ between the two; the rest may not.
            let time = try #require(line.split(separator: " ").first)
            #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}/) != nil, "time is \(time)")
            #expect(line.drop { $0 != " " } == expected.drop { $0 != " " })
        }
        #expect(written.first?.hasSuffix(
            " info switchboard: hb.request.id=abc-123 sb.list=[\"a\", \"b\"] sb.route=uk sb.segments=2 [SwitchboardServerTests] send finished\n"
        ) == true, "\(written)")
        #expect(written.dropFirst().first?.contains("error.message=refused by the provider error.type=SwitchboardServerTests.LineLogHandlerTests.Refused") == true)
    }

    @Test("text: newlines in a message or a value are written as they are, as swift-log's own handler does")
    func textKeepsOneRecordPerWrite() {
        let lines = Lines()
        logger(lines, format: .text).warning("first\nsecond")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.last == UInt8(ascii: "\n"))
    }
}

