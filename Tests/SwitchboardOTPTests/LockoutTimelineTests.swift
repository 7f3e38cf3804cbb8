import Foundation
import HTTPTypes
import SwitchboardCore
import Logging
import SwitchboardOTP
import SwitchboardProviders
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite("Lockout timeline")
struct LockoutTimelineTests {
    /// max_failures 3, lockout 15m: three wrong codes lock for exactly 15 minutes, the code is gone,
    /// and after the lock the count starts afresh.
    @Test func threeFailuresLockForFifteenMinutesThenCountAfresh() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            _ = try await client.send(token)
            let code = try await client.latestCode()
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 0..<3 {
                let reply = try await client.authenticate(token, code: wrong)
                #expect(reply.status == .badRequest)
                #expect(reply.json["error_code"] as? String == "auth_invalid_credentials")
            }
            // Locked: even the right code is refused, with how long is left.
            let locked = try await client.authenticate(token, code: code)
            #expect(locked.status == .forbidden)
            #expect(locked.json["error_code"] as? String == "auth_locked")
            #expect(locked.headers[.retryAfter] == "900")
            clock.advance(by: .seconds(14 * 60 + 59))
            #expect(try await client.authenticate(token, code: code).status == .forbidden)
            // Sending during the lock is refused too (no code the user could not use).
            #expect(try await client.send(token).json["error_code"] as? String == "auth_locked")
            clock.advance(by: .seconds(1))
            // The lock is over, but the code was invalidated by the lockout.
            #expect(try await client.authenticate(token, code: code).json["error_code"] as? String == "auth_invalid_credentials")
            // A fresh code, and a fresh count: two wrong codes do not lock (the earlier one counted).
            _ = try await client.send(token)
            let fresh = try await client.latestCode()
            let wrongAgain = fresh == "000000" ? "111111" : "000000"
            #expect(try await client.authenticate(token, code: wrongAgain).status == .badRequest)
            #expect(try await client.authenticate(token, code: wrongAgain).status == .badRequest)
            #expect(try await client.authenticate(token, code: fresh).status == .ok)
        }
    }
}

@Suite("Concurrent attempts")
struct ConcurrencyTests {
    func withService(
        store: any LoginStore, clock: ManualClock, _ body: (LoginService, ClientContext, any MessageStore & InboxStore) async throws -> Void
    ) async throws {
        let config = try OTPTest.config()
        let messages = MemoryStore()
        let gateway = Gateway(
            config: config, dispatcher: FailoverDispatcher(
                providers: ProviderFactory.makeProviders(config.providers, inbox: messages), attemptTimeout: config.delivery.attemptTimeout,
                breakers: CircuitBreakerRegistry(settings: config.delivery.breaker), alarms: Alarms()
            ),
            store: messages
        )
        let service = LoginService(config: config, store: store, gateway: gateway, clock: clock)
        let client = ClientContext(clientID: OTPTest.clientID, app: try #require(config.app("demo")))
        try await body(service, client, messages)
    }

    static let quiet = Logger(label: "otp-test") { _ in SwiftLogNoOpLogHandler() }

    @Test(arguments: LoginStoreKind.allCases)
    func fiftyWrongGuessesCountAtMostMaxFailures(kind: LoginStoreKind) async throws {
        try await withLoginStore(kind) { store in
            try await withService(store: store, clock: ManualClock()) { service, client, inbox in
                _ = try await service.createUser(NewUserInput(phoneNumber: OTPTest.phone, email: nil, username: nil, externalUserID: nil, nameJSON: nil, customDataJSON: nil), client: client)
                _ = try await service.sendOTP(SendOTPInput(channel: "sms", identifierType: "phone_number", identifier: OTPTest.phone), client: client, logger: Self.quiet)
                let text = try #require(try await inbox.latestInbox(to: OTPTest.phone, limit: 1).first?.text)
                let code = String(text.prefix(6))
                let wrong = code == "000000" ? "111111" : "000000"
                let errors = await withTaskGroup(of: LoginError?.self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            do {
                                _ = try await service.authenticate(AuthenticateInput(passcode: wrong, identifierType: "phone_number", identifier: OTPTest.phone), client: client, logger: Self.quiet)
                                return nil
                            } catch {
                                return error as? LoginError
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                // max_failures is 3: three guesses were checked, every other one met the lock.
                #expect(errors.count { $0 == .invalidCredentials } == 3)
                #expect(errors.count { if case .locked = $0 { true } else { false } } == 47)
            }
        }
    }

    @Test(arguments: LoginStoreKind.allCases)
    func twoRightAnswersGiveOneSuccess(kind: LoginStoreKind) async throws {
        try await withLoginStore(kind) { store in
            try await withService(store: store, clock: ManualClock()) { service, client, inbox in
                _ = try await service.createUser(NewUserInput(phoneNumber: OTPTest.phone, email: nil, username: nil, externalUserID: nil, nameJSON: nil, customDataJSON: nil), client: client)
                _ = try await service.sendOTP(SendOTPInput(channel: "sms", identifierType: "phone_number", identifier: OTPTest.phone), client: client, logger: Self.quiet)
                let text = try #require(try await inbox.latestInbox(to: OTPTest.phone, limit: 1).first?.text)
                let code = String(text.prefix(6))
                let results = await withTaskGroup(of: Bool.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            (try? await service.authenticate(AuthenticateInput(passcode: code, identifierType: "phone_number", identifier: OTPTest.phone), client: client, logger: Self.quiet)) != nil
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.count { $0 } == 1)
            }
        }
    }
}

/// The login stores the concurrency tests run against; an enum, so a misspelt kind cannot quietly
/// become the memory store.
enum LoginStoreKind: String, CaseIterable, Sendable {
    case memory
    case sqlite
    /// A fresh database of the test cluster (`scripts/test`); without one the test fails.
    case postgres
}

/// A new login store of the kind, closed after `body`.
func withLoginStore(_ kind: LoginStoreKind, _ body: (any LoginStore) async throws -> Void) async throws {
    if kind == .memory { return try await body(MemoryLoginStore()) }
    if kind == .postgres { return try await TestPostgres.withStore { try await body($0) } }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-otp-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try await SQLiteStore.open(path: folder.path + "/store.sqlite", logger: ConcurrencyTests.quiet)
    try await store.migrate()
    do {
        try await body(store)
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
}
