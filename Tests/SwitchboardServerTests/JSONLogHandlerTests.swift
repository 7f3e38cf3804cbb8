import Foundation
import Logging
import SwitchboardServer
import SwitchboardTestSupport
import Synchronization
import Testing

/// `server.log_format: json`: one JSON object per record, on one line, whatever the message holds.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    final class Lines: Sendable {
        private let written = Mutex<[[UInt8]]>([])
        func append(_ line: [UInt8]) { written.withLock { $0.append(line) } }
        var all: [[UInt8]] { written.withLock { $0 } }
    }

    func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "switchboard") { label in JSONLogHandler(label: label) { lines.append($0) } }
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
}
