import Logging
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite struct LoggerOutsideFrameTests {
    @Test func aRecordSaysItComesFromTheCallerNotFromTheHelper() throws {
        let records = LogRecords()
        let logger = records.logger(label: "test")
        let line: UInt = #line + 1
        logger.logOutsideFrame(.notice, "provider answered", metadata: ["sb.provider": "primary"])
        let record = try #require(records.all.first)
        #expect(record.line == "notice provider answered sb.provider=primary")
        #expect(record.file == #fileID)
        #expect(record.lineNumber == line)
        #expect(record.source == "SwitchboardCoreTests")
    }

    @Test func belowTheLoggersLevelNothingIsLoggedOrEvenBuilt() {
        let records = LogRecords()
        var logger = records.logger(label: "test")
        logger.logLevel = .info
        let built = Counter()
        logger.logOutsideFrame(.debug, "\(built.next())", metadata: ["n": "\(built.next())"])
        #expect(records.all.isEmpty)
        #expect(built.count == 0)
    }
}

private final class Counter {
    private(set) var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
