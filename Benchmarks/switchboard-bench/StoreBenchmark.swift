import Foundation
import Logging
import SwitchboardCore
import SwitchboardStore

/// The SQLite store on a temporary file, as the daemon drives it: concurrent message saves (a
/// pending save then the final one per message, as `Gateway.send` does) and the login-store calls
/// of one OTP login, one login at a time (latency) and from several workers (throughput).
///
///     swift run -c release switchboard-bench store
enum StoreBenchmark {
    static let benchmark = Benchmark(
        name: "store",
        summary: "SQLite store: concurrent message saves, and the login-store calls of one OTP login",
        run: run
    )

    static let messages = 10_000
    static let sequentialLogins = 300
    static let concurrentLogins = 1_000
    static let loginWorkers = 8

    /// Once on the temporary folder's disk, where every commit waits for a real flush, and once on
    /// tmpfs, where flushes cost nothing and what is left is the store's own overhead.
    static func run() async {
        let places = [("disk", FileManager.default.temporaryDirectory), ("tmpfs", URL(fileURLWithPath: "/dev/shm"))]
        for (label, base) in places where FileManager.default.fileExists(atPath: base.path) {
            print("-- \(label) (\(base.path))")
            await run(in: base.appendingPathComponent("switchboard-bench-\(UUID().uuidString)"))
        }
    }

    private static func run(in folder: URL) async {
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        do {
            let store = try await SQLiteStore.open(path: folder.path + "/bench.sqlite", logger: logger)
            try await store.migrate()
            try await saves(store)
            try await logins(store, workers: 1, count: sequentialLogins)
            try await logins(store, workers: loginWorkers, count: concurrentLogins)
            try await store.close()
        } catch {
            print("store benchmark failed: \(error)")
        }
    }

    private static func saves(_ store: SQLiteStore) async throws {
        let clock = ContinuousClock()
        let flushesBefore = await store.flushCount
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<messages {
                group.addTask {
                    var record = message(index)
                    try await store.save(record)
                    record.status = .accepted
                    record.provider = "twilio"
                    record.attempts = [
                        DeliveryAttempt(
                            provider: "twilio", outcome: .accepted, providerCode: nil, providerMessage: nil,
                            providerMessageID: "SM\(index)", latencyMicroseconds: 1_000, startedAt: record.createdAt
                        )
                    ]
                    try await store.save(record)
                }
            }
            try await group.waitForAll()
        }
        let seconds = (clock.now - start).inSeconds
        let flushes = await store.flushCount - flushesBefore
        print(
            "saves: \(2 * messages) concurrent saves in \(format(seconds)) s = \(Int(Double(2 * messages) / seconds)) saves/s, \(flushes) transactions"
        )
    }

    private static func message(_ index: Int) -> MessageRecord {
        let now = Date()
        return MessageRecord(
            id: "bench-\(UUID().uuidString)", app: "bench", kind: .otp, to: "+4477009\(String(format: "%05d", index % 100_000))",
            country: "GB", route: "uk", sender: "BENCH", loggedText: "****** is your Bench code", encoding: .gsm7,
            segments: 1, status: .pending, createdAt: now, updatedAt: now
        )
    }

    /// `count` logins spread over `workers` concurrent loops; prints logins/s and the mean latency.
    private static func logins(_ store: SQLiteStore, workers: Int, count: Int) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let run = UUID().uuidString.prefix(8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in stride(from: worker, to: count, by: workers) {
                        try await login(store, number: "+4477\(run)\(index)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (clock.now - start).inSeconds
        print(
            "logins (\(workers) worker\(workers == 1 ? "" : "s")): \(count) in \(format(seconds)) s = \(Int(Double(count) / seconds)) logins/s, "
                + "mean latency \(format(seconds / Double(count) * Double(workers) * 1_000)) ms"
        )
    }

    /// The store calls of one login of a new user: limit, user, challenge, lockout check, attempt,
    /// verification, session and refresh token, and one refresh.
    private static func login(_ store: SQLiteStore, number: String) async throws {
        let now = Date()
        let app = "bench"
        _ = try await store.reserveSend(key: "send:\(number)", now: now, limits: SendLimits(resendAfter: .seconds(30), maxPerHour: 5))
        let userID: String
        let scope = UserScope(app: app)
        switch try await store.createUser(LoginUser(id: UUID().uuidString, phoneNumber: number, createdAt: now, updatedAt: now), in: scope) {
        case .created(let user), .addedToApp(let user): userID = user.id
        case .taken, .conflict: guard let user = try await store.user(.phoneNumber(number), in: scope) else { return }; userID = user.id
        }
        let hash = Array(number.utf8)
        try await store.putChallenge(
            OTPChallenge(id: UUID().uuidString, app: app, userID: userID, codeHash: hash, sentTo: number, createdAt: now, expiresAt: now + 300)
        )
        _ = try await store.user(.userID(userID), in: scope)
        _ = try await store.lockedUntil(app: app, userID: userID, now: now)
        _ = try await store.attempt(app: app, userID: userID, now: now, policy: LockoutPolicy(maxFailures: 5, lockout: .seconds(900))) {
            $0.codeHash == hash
        }
        try await store.markPhoneNumberVerified(userID: userID, at: now)
        let session = UserSession(id: UUID().uuidString, app: app, clientID: "client", userID: userID, authTime: now, createdAt: now)
        try await store.createSession(session)
        let token = Array(UUID().uuidString.utf8)
        try await store.addRefreshToken(RefreshTokenRecord(hash: token, sessionID: session.id, createdAt: now, expiresAt: now + 3_600))
        _ = try await store.rotateRefreshToken(hash: token, owner: SessionOwner(app: app, clientID: "client"), replacement: Array(UUID().uuidString.utf8), expiresAt: now + 3_600, now: now)
    }

    private static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

extension Duration {
    fileprivate var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
