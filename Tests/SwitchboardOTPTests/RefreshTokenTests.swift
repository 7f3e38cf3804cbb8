import Crypto
import Foundation
import HTTPTypes
import Logging
import SwitchboardCore
import SwitchboardOTP
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Refresh tokens carry the time they were issued, and are stored under that time and their hash;
/// tokens stored before they carried a time keep working.
@Suite("Refresh tokens", .timeLimit(.minutes(3)))
struct RefreshTokenTests {
    static func sha256(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Data(text.utf8))) }

    @Test func aTokenIsItsMillisecondsThenRandomAndIsStoredUnderThemAndItsHash() throws {
        let date = Date(timeIntervalSince1970: 1_764_900_000.25)
        let tokens = (0..<200).map { _ in RefreshToken.make(at: date) }
        #expect(Set(tokens).count == tokens.count)
        for token in tokens {
            #expect(token.utf8.count == 55)
            #expect(UInt64(token.prefix(12), radix: 16) == 1_764_900_000_250)
            #expect(Data(base64URL: String(token.dropFirst(12)))?.count == 32)
            let key = RefreshToken.storageKey(of: token)
            #expect(key == [0x01, 0x9a, 0xec, 0x3c, 0xd1, 0xfa] + Self.sha256(token))
        }
        #expect(UInt64(0x019a_ec3c_d1fa) == 1_764_900_000_250)
    }

    @Test func keysSortByTheTimeTheTokensWereIssued() {
        let start = Date(timeIntervalSince1970: 1_764_900_000.5)
        let dates = [
            Date(timeIntervalSince1970: 0), start, start.addingTimeInterval(0.001), start.addingTimeInterval(1),
            start.addingTimeInterval(86_400 * 365 * 100),
        ]
        // Many tokens at each time, so that a hash that sorted before the time would show.
        let keys = dates.flatMap { date in (0..<50).map { _ in RefreshToken.storageKey(of: RefreshToken.make(at: date)) } }
        let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(sorted.map { $0.prefix(6) } == keys.map { $0.prefix(6) })
    }

    @Test func anyOtherTextIsKeyedByItsHashAlone() {
        let untimed = OTPCodes.randomID(bytes: 32)
        #expect(untimed.utf8.count == 43)
        #expect(RefreshToken.storageKey(of: untimed) == Self.sha256(untimed))
        let timed = RefreshToken.make(at: Date(timeIntervalSince1970: 1_764_900_000))
        for text in ["", String(timed.dropLast()), timed + "A", timed.uppercased(), "zz" + timed.dropFirst(2), "0000000000000000000000000000000000000000000"] {
            #expect(RefreshToken.storageKey(of: text) == Self.sha256(text), "\(text)")
        }
    }

    @Test func aForgedTimeFindsNothingAndRevokesNothing() async throws {
        try await OTPTest.withApp { client in
            let (token, tokens) = try await client.logIn()
            let issued = try #require(tokens["refresh_token"] as? String)
            let milliseconds = try #require(UInt64(issued.prefix(12), radix: 16))
            let forgeries = [
                (milliseconds + 1).hexDigits(width: 12) + issued.dropFirst(12),
                (milliseconds - 1).hexDigits(width: 12) + issued.dropFirst(12),
                issued.prefix(12) + OTPCodes.randomID(bytes: 32),
                issued.uppercased(),
            ]
            for forged in forgeries {
                let reply = try await client.refresh(token, forged)
                #expect(reply.status == .badRequest, "\(forged)")
                #expect(reply.json["error_code"] as? String == "invalid_refresh_token")
            }
            // None of them touched the session: the real token still rotates.
            let rotated = try await client.refresh(token, issued)
            #expect(rotated.status == .ok, "\(rotated.text)")
        }
    }

    @Test func loginAndRefreshIssueTokensOfTheirTime() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let (token, tokens) = try await client.logIn()
            let first = try #require(tokens["refresh_token"] as? String)
            #expect(UInt64(first.prefix(12), radix: 16) == UInt64(clock.date.timeIntervalSince1970 * 1000))
            clock.advance(by: .seconds(60))
            let refreshed = try await client.refresh(token, first)
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            let second = try #require(refreshed.json["refresh_token"] as? String)
            #expect(UInt64(second.prefix(12), radix: 16) == UInt64(clock.date.timeIntervalSince1970 * 1000))
            #expect(second > first)
        }
    }

    /// A token issued before tokens carried a time is stored under its SHA-256 alone. It rotates
    /// into a timed one, and its reuse still revokes the session.
    @Test func aTokenStoredBeforeTokensCarriedATimeRotatesAndItsReuseRevokes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-refresh-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let quiet = Logger(label: "otp-test") { _ in SwiftLogNoOpLogHandler() }
        let store = try await SQLiteStore.open(path: folder.path + "/switchboard.sqlite", logger: quiet)
        try await store.migrate()
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock, login: store, inbox: store, messages: store, services: [store]) { client in
            let (token, tokens) = try await client.logIn()
            let session = try #require(tokens["session_id"] as? String)
            let timed = try #require(tokens["refresh_token"] as? String)
            let untimed = OTPCodes.randomID(bytes: 32)
            try await store.addRefreshToken(
                RefreshTokenRecord(hash: Self.sha256(untimed), sessionID: session, createdAt: clock.date, expiresAt: clock.date.addingTimeInterval(86_400))
            )
            let rotated = try await client.refresh(token, untimed)
            #expect(rotated.status == .ok, "\(rotated.text)")
            let replacement = try #require(rotated.json["refresh_token"] as? String)
            #expect(TimeOrderedID.milliseconds(of: replacement) == UInt64(clock.date.timeIntervalSince1970 * 1000))
            let reused = try await client.refresh(token, untimed)
            #expect(reused.status == .badRequest)
            #expect(reused.json["error_code"] as? String == "invalid_refresh_token")
            // The reuse revoked the session: neither the replacement nor the login's own token works.
            #expect(try await client.refresh(token, replacement).status == .badRequest)
            #expect(try await client.refresh(token, timed).status == .badRequest)
        }
    }
}
