import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// What a batch of saves writes when it writes each message once: per id, the save that supersedes
/// the others, in the order the ids first came.
@Suite("One save per message in a batch")
struct LatestPerIDTests {
    /// A save of message `id` made `seconds` after the fixture's creation, with `status`.
    static func save(_ id: String, after seconds: Double, _ status: MessageStatus = .accepted) -> MessageRecord {
        var record = Fixtures.record(id: id)
        record.status = status
        record.updatedAt = record.createdAt.addingTimeInterval(seconds)
        return record
    }

    @Test func distinctIDsComeBackAsTheyWere() {
        let saves = ["a", "b", "c", "d"].enumerated().map { Self.save($1, after: Double($0)) }
        #expect(MessageRecord.latestPerID(saves) == saves)
    }

    @Test func aRepeatedIDKeepsItsNewestSaveWhereItFirstCame() {
        let saves = [
            Self.save("a", after: 0, .pending), Self.save("b", after: 0, .pending), Self.save("a", after: 1),
            Self.save("c", after: 0), Self.save("b", after: 2), Self.save("d", after: 0),
        ]
        #expect(MessageRecord.latestPerID(saves) == [saves[2], saves[4], saves[3], saves[5]])
    }

    @Test func idsAfterSeveralRepeatsKeepTheirPlacesAndRepeatToo() {
        let saves = [
            Self.save("a", after: 1), Self.save("a", after: 2), Self.save("b", after: 0), Self.save("b", after: 1),
            Self.save("c", after: 0), Self.save("d", after: 0), Self.save("c", after: 1),
        ]
        #expect(MessageRecord.latestPerID(saves) == [saves[1], saves[3], saves[6], saves[5]])
    }

    @Test func anOlderSaveAfterANewerOneIsDropped() {
        let saves = [Self.save("a", after: 2), Self.save("b", after: 0), Self.save("a", after: 1), Self.save("a", after: 3, .pending)]
        #expect(MessageRecord.latestPerID(saves) == [saves[3], saves[1]])
    }

    @Test func onATiePendingNeverReplacesAnOutcome() {
        let saves = [Self.save("a", after: 1), Self.save("a", after: 1, .pending), Self.save("b", after: 0)]
        #expect(MessageRecord.latestPerID(saves) == [saves[0], saves[2]])
    }
}
