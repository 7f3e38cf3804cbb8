import Crypto
import Foundation
import HTTPTypes
import Logging
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// "Codes are stored as HMAC-SHA256 hashes only": read the SQLite file the server used, with a
/// connection of its own, after a send.
@Suite("OTP codes stored as keyed hashes", .timeLimit(.minutes(3)))
struct CodeHashStorageTests {
    /// Ten digits, so the code cannot turn up by chance inside a random id or a hash.
    static let yaml = OTPTest.yaml(otp: "{ code_length: 10, expires_in: 5m, max_failures: 3, lockout: 15m, resend_after: 30s, max_sends_per_hour: 5 }")

    @Test func theStoreKeepsOnlyTheHMACOfTheCodeUnderItsOwnSecret() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-code-hash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.path + "/switchboard.sqlite"
        let store = try await SQLiteStore.open(path: path, logger: Logger(label: "otp-test") { _ in SwiftLogNoOpLogHandler() })
        try await store.migrate()
        let sent = Secrets()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), login: store, inbox: store, messages: store, services: [store]) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            let message = try #require(try await client.inbox.latestInbox(to: OTPTest.phone, limit: 1).first)
            sent.record([String(message.text.prefix { $0.isNumber })])
        }
        let code = try #require(sent.values.first)
        #expect(code.count == 10)

        let database = try SQLiteDatabase(path: path)
        defer { try? database.close() }
        let challenges = try database.query("SELECT * FROM otp_challenges")
        #expect(challenges.count == 1)
        let challenge = try #require(challenges.first)
        #expect(!Self.contains(challenge, code), "the plain code is in the challenge row")

        guard case .blob(let stored) = challenge.column("code_hash") else {
            Issue.record("code_hash is not a blob: \(String(describing: challenge.column("code_hash")))")
            return
        }
        let challengeID = try #require(challenge.column("id")?.textValue)
        guard case .blob(let secret) = try database.first("SELECT value FROM secrets WHERE name = 'otp-code-hmac-key'")?.column("value") else {
            Issue.record("the store holds no code-hashing secret")
            return
        }
        #expect(secret.count == 32)
        let expected = HMAC<SHA256>.authenticationCode(for: Data("otp:v1:\(challengeID):\(code)".utf8), using: SymmetricKey(data: secret))
        #expect(stored.count == 32)
        #expect(stored == Array(expected))
        #expect(stored != Array(SHA256.hash(data: Data(code.utf8))))

        // Beyond the challenge: only the inbox, which stands in for the phone, ever held the code.
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.column("name")?.textValue }
        #expect(tables.contains("inbox"))
        for table in tables where table != "inbox" {
            for row in try database.query("SELECT * FROM \"\(table)\"") {
                #expect(!Self.contains(row, code), "table \(table) holds the plain code")
            }
        }
        let inbox = try database.query("SELECT * FROM inbox")
        #expect(inbox.contains { Self.contains($0, code) })
    }

    /// Whether any text or blob value of the row contains `code`.
    static func contains(_ row: SQLiteRow, _ code: String) -> Bool {
        let needle = Array(code.utf8)
        return row.values.contains { value in
            switch value {
            case .text(let text): text.contains(code)
            case .blob(let bytes): bytes.count >= needle.count && (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<$0 + needle.count]) == needle }
            case .null, .integer, .real: false
            }
        }
    }
}
