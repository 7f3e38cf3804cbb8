import Foundation
import HTTPTypes
import SwitchboardOTP
import SwitchboardTestSupport
import Testing

/// Time-ordered ids, and session ids made of them: the time their session opened, then 128 random
/// bits.
@Suite("Time-ordered ids", .timeLimit(.minutes(3)))
struct TimeOrderedIDTests {
    @Test func idsSortByTheTimeTheyWereMade() {
        let start = Date(timeIntervalSince1970: 1_764_900_000.5)
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 0.25), start, start.addingTimeInterval(0.001),
            start.addingTimeInterval(1), start.addingTimeInterval(86_400 * 365 * 100),
        ]
        // Many ids for each date, so that a random part that sorted before the time would show.
        let ids = dates.flatMap { date in (0..<50).map { _ in TimeOrderedID.make(at: date, randomBytes: 16) } }
        let byTime = ids.map { $0.prefix(12) }
        #expect(byTime == byTime.sorted())
        #expect(ids.sorted().map { $0.prefix(12) } == byTime)
    }

    @Test func theTimeIsInMillisecondsAndTheRestIsRandom() throws {
        let date = Date(timeIntervalSince1970: 1_764_900_000.25)
        let ids = (0..<1_000).map { _ in TimeOrderedID.make(at: date, randomBytes: 16) }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 34)
            #expect(UInt64(id.prefix(12), radix: 16) == 1_764_900_000_250)
            #expect(Data(base64URL: String(id.dropFirst(12)))?.count == 16)
        }
    }

    @Test func theTimeIsReadBackOnlyFromTwelveLowercaseHexDigits() {
        let id = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_764_900_000.25), randomBytes: 16)
        #expect(TimeOrderedID.milliseconds(of: id) == 1_764_900_000_250)
        #expect(TimeOrderedID.milliseconds(of: "ffffffffffff") == 0xffff_ffff_ffff)
        #expect(TimeOrderedID.milliseconds(of: "000000000000rest") == 0)
        for notTimed in ["", "19aef0a1b2c", "19AEF0A1B2C3xyz", "+9aef0a1b2c3xyz", "19aef0a1b2cgxyz", "19aef 0a1b2c3x", "١٩aef0a1b2c3xy"] {
            #expect(TimeOrderedID.milliseconds(of: notTimed) == nil, "\(notTimed)")
        }
    }

    @Test func aLoginOpensASessionNamedForItsTime() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let opened = UInt64(clock.date.timeIntervalSince1970 * 1000)
            let (_, tokens) = try await client.logIn()
            let first = try #require(tokens["session_id"] as? String)
            #expect(UInt64(first.prefix(12), radix: 16) == opened)
            clock.advance(by: .seconds(3600))
            // Read as the login reads it: the sum in milliseconds may round to a neighbour.
            let later = UInt64(clock.date.timeIntervalSince1970 * 1000)
            // A client token lasts less than that.
            let token = try await client.clientToken()
            let sent = try await client.send(token)
            #expect(sent.status == .ok, "\(sent.text)")
            let again = try await client.authenticate(token, code: try await client.latestCode())
            #expect(again.status == .ok, "\(again.text)")
            let second = try #require(again.json["session_id"] as? String)
            #expect(second > first)
            #expect(UInt64(second.prefix(12), radix: 16) == later)
            #expect((3_599_999...3_600_001).contains(later - opened))
        }
    }
}
