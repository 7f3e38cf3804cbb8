import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

extension StoreKind {
    /// Calls `body` with the stores of this kind that hold messages and the inbox, and sessions and
    /// challenges: one store for SQLite and PostgreSQL, two for memory.
    func withRetentionStores(
        _ body: (_ log: any MessageStore & InboxStore & RetentionStore, _ login: any LoginStore & RetentionStore) async throws -> Void
    ) async throws {
        switch self {
        case .memory:
            try await body(MemoryStore(), MemoryLoginStore())
        case .sqliteInMemory, .sqliteFile:
            try await withSQLiteStore { try await body($0, $0) }
        case .postgres:
            try await TestPostgres.withStore { try await body($0, $0) }
        }
    }
}

/// What every `RetentionStore` must do: delete only what ended before the cutoff, a bounded batch
/// at a time, oldest first, never a message still to be sent.
@Suite("Retention store contract")
struct RetentionContractTests {
    static let cutoff = Fixtures.instant(800_000_000)
    static func before(_ seconds: TimeInterval) -> Date { cutoff.addingTimeInterval(-seconds) }
    static func after(_ seconds: TimeInterval) -> Date { cutoff.addingTimeInterval(seconds) }

    static func message(_ id: String, createdAt: Date, status: MessageStatus = .accepted) -> MessageRecord {
        var record = Fixtures.record(id: id, createdAt: createdAt)
        record.status = status
        return record
    }

    @Test(arguments: StoreKind.allCases)
    func onlyFinalMessagesCreatedBeforeTheCutoffGoWithTheirAttempts(kind: StoreKind) async throws {
        try await kind.withRetentionStores { store, _ in
            let old = [
                Self.message("msg_a_accepted", createdAt: Self.before(300)),
                Self.message("msg_b_failed", createdAt: Self.before(200), status: .failed),
                Self.message("msg_c_interrupted", createdAt: Self.before(100), status: .interrupted),
            ]
            let kept = [
                Self.message("msg_d_queued", createdAt: Self.before(400), status: .queued),
                Self.message("msg_e_pending", createdAt: Self.before(400), status: .pending),
                Self.message("msg_f_new", createdAt: Self.after(1)),
                Self.message("msg_g_at_cutoff", createdAt: Self.cutoff),
            ]
            for record in old + kept { try await store.save(record) }

            #expect(try await store.countPurgeable(.messages, endedBefore: Self.cutoff) == 3)
            // A batch never takes more than its limit, and the oldest go first.
            #expect(try await store.purge(.messages, endedBefore: Self.cutoff, limit: 2) == 2)
            #expect(try await store.message(id: "msg_a_accepted") == nil)
            #expect(try await store.message(id: "msg_b_failed") == nil)
            #expect(try await store.message(id: "msg_c_interrupted") == old[2])
            #expect(try await store.purge(.messages, endedBefore: Self.cutoff, limit: 2) == 1)
            #expect(try await store.purge(.messages, endedBefore: Self.cutoff, limit: 2) == 0)
            #expect(try await store.countPurgeable(.messages, endedBefore: Self.cutoff) == 0)
            for record in kept {
                #expect(try await store.message(id: record.id) == record)
            }
        }
    }

    @Test(arguments: [StoreKind.sqliteFile, .sqliteInMemory])
    func aPurgedMessagesAttemptsGoWithIt(kind: StoreKind) async throws {
        try await kind.withSQLiteStore { store in
            try await store.save(Self.message("msg_old", createdAt: Self.before(60)))
            try await store.save(Self.message("msg_new", createdAt: Self.after(60)))
            let attempts = { @Sendable () async throws -> [String] in
                try await store.read { database in
                    try database.query("SELECT message_id FROM attempts ORDER BY message_id, attempt_number")
                        .map { try $0.text("message_id", table: "attempts") }
                }
            }
            #expect(try await attempts() == ["msg_new", "msg_new", "msg_old", "msg_old"])
            #expect(try await store.purge(.messages, endedBefore: Self.cutoff, limit: 10) == 1)
            #expect(try await attempts() == ["msg_new", "msg_new"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func inboxMessagesReceivedBeforeTheCutoffGoAndSequencesCarryOn(kind: StoreKind) async throws {
        try await kind.withRetentionStores { store, _ in
            let cutoffSeconds: Int64 = 800_000_000
            var delivered: [InboxMessage] = []
            for offset: Int64 in [-30, -20, -10, 10] {
                delivered.append(try await store.deliver(Fixtures.inbox(text: "text \(offset)", at: cutoffSeconds + offset)))
            }
            // `Fixtures.inbox` adds a fraction of a second, so -10 is still before the cutoff.
            #expect(try await store.countPurgeable(.inbox, endedBefore: Self.cutoff) == 3)
            #expect(try await store.purge(.inbox, endedBefore: Self.cutoff, limit: 2) == 2)
            #expect(try await store.inbox(to: nil, after: nil, limit: 10).map(\.sequence) == delivered[2...].map(\.sequence))
            #expect(try await store.purge(.inbox, endedBefore: Self.cutoff, limit: 2) == 1)
            #expect(try await store.inbox(to: nil, after: nil, limit: 10) == [delivered[3]])
            // A follower's cursor stays valid: sequences are never handed out again.
            let next = try await store.deliver(Fixtures.inbox(at: cutoffSeconds + 20))
            #expect(next.sequence > delivered[3].sequence)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sessionsThatEndedBeforeTheCutoffGoWithTheirRefreshTokens(kind: StoreKind) async throws {
        try await kind.withRetentionStores { _, store in
            let t0 = Self.before(10_000)
            func session(_ id: String, revokedAt: Date? = nil) -> UserSession {
                UserSession(id: id, app: "demo", clientID: "c", userID: "u-\(id)", authTime: t0, createdAt: t0, revokedAt: revokedAt)
            }
            func token(_ hash: UInt8, _ id: String, expires: Date) -> RefreshTokenRecord {
                RefreshTokenRecord(hash: [hash], sessionID: id, createdAt: t0, expiresAt: expires)
            }
            // Ended: logged out before the cutoff (its token would have lived on), and expired before it.
            try await store.createSession(session("revoked", revokedAt: Self.before(100)))
            try await store.addRefreshToken(token(1, "revoked", expires: Self.after(100)))
            try await store.createSession(session("expired"))
            try await store.addRefreshToken(token(2, "expired", expires: Self.before(200)))
            try await store.addRefreshToken(token(3, "expired", expires: Self.before(50)))
            // Live, or ended after the cutoff: kept.
            try await store.createSession(session("live"))
            try await store.addRefreshToken(token(4, "live", expires: Self.before(500)))
            try await store.addRefreshToken(token(5, "live", expires: Self.after(500)))
            try await store.createSession(session("revoked-late", revokedAt: Self.after(1)))
            try await store.addRefreshToken(token(6, "revoked-late", expires: Self.before(500)))

            #expect(try await store.countPurgeable(.sessions, endedBefore: Self.cutoff) == 2)
            #expect(try await store.purge(.sessions, endedBefore: Self.cutoff, limit: 1) == 1)
            #expect(try await store.purge(.sessions, endedBefore: Self.cutoff, limit: 1) == 1)
            #expect(try await store.purge(.sessions, endedBefore: Self.cutoff, limit: 1) == 0)
            #expect(try await store.session(id: "revoked") == nil)
            #expect(try await store.session(id: "expired") == nil)
            #expect(try await store.session(id: "live") != nil)
            #expect(try await store.session(id: "revoked-late") != nil)

            // The refresh token went too: a new session under the old id does not bring it back.
            try await store.createSession(session("revoked"))
            let owner = SessionOwner(app: "demo", clientID: "c")
            let replayed = try await store.rotateRefreshToken(hash: [1], owner: owner, replacement: [9], expiresAt: Self.after(900), now: Self.cutoff)
            #expect(replayed == .invalid)
            // Other kinds are untouched.
            #expect(try await store.countPurgeable(.challenges, endedBefore: Self.cutoff) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func challengesThatExpiredBeforeTheCutoffGo(kind: StoreKind) async throws {
        try await kind.withRetentionStores { _, store in
            func challenge(_ id: String, user: String, expires: Date) -> OTPChallenge {
                OTPChallenge(
                    id: id, app: "demo", userID: user, codeHash: Array("hash-\(id)".utf8), requestID: "req", sentTo: "+447700900123",
                    approvalDataJSON: nil, createdAt: expires.addingTimeInterval(-300), expiresAt: expires
                )
            }
            let live = challenge("ch_live", user: "u3", expires: Self.after(60))
            for item in [challenge("ch_old", user: "u1", expires: Self.before(60)), challenge("ch_older", user: "u2", expires: Self.before(120)), live] {
                try await store.putChallenge(item)
            }
            #expect(try await store.countPurgeable(.challenges, endedBefore: Self.cutoff) == 2)
            #expect(try await store.purge(.challenges, endedBefore: Self.cutoff, limit: 10) == 2)
            #expect(try await store.challenge(app: "demo", userID: "u1") == nil)
            #expect(try await store.challenge(app: "demo", userID: "u2") == nil)
            #expect(try await store.challenge(app: "demo", userID: "u3")?.id == "ch_live")
            #expect(try await store.purge(.challenges, endedBefore: Self.cutoff, limit: 10) == 0)
        }
    }

    @Test
    func aNewSQLiteFileGivesPurgedSpaceBack() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/store.sqlite"
            let store = try await SQLiteStore.open(path: path, logger: .quiet)
            try await store.migrate()
            try await closing(store) { store in
                #expect(try await store.autoVacuumMode() == 2)
                let text = String(repeating: "x", count: 4_000)
                for index: Int64 in 0..<400 {
                    _ = try await store.deliver(Fixtures.inbox(text: text, at: 700_000_000 + index))
                }
                let size = { () throws -> Int in
                    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                }
                // Checkpointed into the file, so its size is what the rows take.
                try await store.executeUnbatched("PRAGMA wal_checkpoint(TRUNCATE)")
                let full = try size()
                #expect(try await store.purge(.inbox, endedBefore: Self.cutoff, limit: 1_000) == 400)
                try await store.reclaimSpace()
                try await store.executeUnbatched("PRAGMA wal_checkpoint(TRUNCATE)")
                let after = try size()
                #expect(after < full / 4, "the file was \(full) bytes with the rows and is \(after) bytes after the purge")
            }
        }
    }
}
