import Testing

@testable import SwitchboardCore

/// `server.log_format`: text unless json is asked for; anything else is refused where it is written.
@Suite("server.log_format")
struct LogFormatConfigTests {
    typealias R = ConfigReference

    @Test("left out, it is text")
    func defaultIsText() throws {
        #expect(try parseConfig(R.rest).server.logFormat == .text)
    }

    @Test("text and json are read as written", arguments: [LogFormat.text, .json])
    func readsBoth(format: LogFormat) throws {
        #expect(try parseConfig("server: { log_format: \(format.rawValue) }\n" + R.rest).server.logFormat == format)
    }

    @Test("another value is refused at its line and column, naming both choices")
    func refusesOthers() {
        #expect(
            R.printed("server:\n  log_format: JSON\n" + R.rest)
                == ["test.yaml:2:15: 'server.log_format' is \"JSON\"; write text (lines for people) or json (one JSON object per line)"]
        )
    }
}
