import Testing

@testable import SwitchboardCore

/// `server.threads`: unset unless written; a whole number in range, refused where it is written
/// otherwise; a change takes a restart.
@Suite("server.threads in the configuration")
struct ServerThreadsConfigTests {
    typealias R = ConfigReference

    @Test("left out, it is unset: one event loop per core, and Swift's own pool beside them")
    func defaultIsUnset() throws {
        #expect(try parseConfig(R.rest).server.threads == nil)
    }

    @Test("a whole number is read as written", arguments: [1, 2, ConfigParser.maxThreads])
    func readsANumber(threads: Int) throws {
        #expect(try parseConfig("server: { threads: \(threads) }\n" + R.rest).server.threads == threads)
    }

    @Test("anything else is refused at its line and column, with the range", arguments: ["0", "-1", "257", "two", "1.5"])
    func refusesOthers(value: String) {
        #expect(
            R.printed("server:\n  threads: \(value)\n" + R.rest)
                == ["test.yaml:2:12: 'server.threads' must be a whole number from 1 to \(ConfigParser.maxThreads), not \"\(value)\""]
        )
    }

    @Test("a change of it is reported as needing a restart, not applied")
    func aChangeTakesARestart() throws {
        let before = try parseConfig(R.rest)
        let after = try parseConfig("server: { threads: 1 }\n" + R.rest)
        #expect(ConfigurationChange(from: before, to: after).needsRestart == ["server.threads"])
        #expect(ConfigurationChange(from: after, to: after).needsRestart.isEmpty)
    }
}
