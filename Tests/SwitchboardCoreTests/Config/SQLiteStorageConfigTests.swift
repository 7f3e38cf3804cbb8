import Testing
@testable import SwitchboardCore

/// `storage.sqlite`: a path, or a path and what a commit must survive; power loss unless the
/// operator chooses otherwise, and a change of either only after a restart.
@Suite("SQLite storage configuration")
struct SQLiteStorageConfigTests {
    /// Lines 1–4; each case puts its `storage:` on line 5.
    static let base = PostgresStorageConfigTests.base

    @Test func aPathAloneWaitsForTheDisk() throws {
        let config = try parseConfig(Self.base + "storage: { sqlite: /var/lib/switchboard/log.sqlite }")
        #expect(config.storage == .sqlite(SQLiteSettings(path: "/var/lib/switchboard/log.sqlite", durability: .powerLoss)))
    }

    @Test func aMappingNamesThePathAndTheDurability() throws {
        let config = try parseConfig(Self.base + "storage:\n  sqlite: { path: \"${DATA}/log.sqlite\", durability: process_crash }", environment: ["DATA": "/srv"])
        #expect(config.storage == .sqlite(SQLiteSettings(path: "/srv/log.sqlite", durability: .processCrash)))
    }

    @Test func aMappingWithoutDurabilityKeepsTheDefault() throws {
        let config = try parseConfig(Self.base + "storage: { sqlite: { path: ./x.sqlite } }")
        #expect(config.storage == .sqlite(SQLiteSettings(path: "./x.sqlite")))
        #expect(SQLiteSettings(path: "./x.sqlite").durability == .powerLoss)
    }

    @Test func anUnknownDurabilityIsReportedWithTheChoices() {
        expectOne(
            Self.base + "storage: { sqlite: { path: ./x.sqlite, durability: process-crash } }", line: 5, column: 52,
            contains: ["'storage.sqlite.durability' is \"process-crash\"", "did you mean 'process_crash'", "power_loss", "kill -9"]
        )
    }

    @Test func aMappingWithoutAPathIsReported() {
        expectOne(Self.base + "storage: { sqlite: { durability: power_loss } }", line: 5, column: 20, contains: ["'storage.sqlite' needs 'path'"])
    }

    @Test func anUnknownKeyIsReported() {
        expectOne(
            Self.base + "storage: { sqlite: { path: ./x.sqlite, synchronous: normal } }", line: 5, column: 40,
            contains: ["unknown key 'synchronous' in 'storage.sqlite'", "allowed keys: path, durability"]
        )
    }

    @Test func anEmptyPathIsReported() {
        expectOne(Self.base + "storage: { sqlite: { path: \"\" } }", line: 5, column: 28, contains: ["'storage.sqlite.path' is empty"])
    }

    @Test func changingTheDurabilityTakesARestart() throws {
        let before = try parseConfig(Self.base + "storage: { sqlite: ./x.sqlite }")
        let after = try parseConfig(Self.base + "storage: { sqlite: { path: ./x.sqlite, durability: process_crash } }")
        #expect(ConfigurationChange(from: before, to: after).needsRestart == ["storage"])
        #expect(ConfigurationChange(from: before, to: before).needsRestart.isEmpty)
    }

    @Test func theDescriptionNamesOnlyAChosenDurability() {
        #expect(SQLiteSettings(path: "/srv/log.sqlite").description == "sqlite:/srv/log.sqlite")
        #expect(SQLiteSettings(path: "/srv/log.sqlite", durability: .processCrash).description == "sqlite:/srv/log.sqlite (durability process_crash)")
    }
}
