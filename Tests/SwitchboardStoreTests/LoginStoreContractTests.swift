import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

extension StoreKind {
    /// Calls `body` with a new, empty, migrated login store of this kind.
    func withLoginStore(_ body: (any LoginStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(MemoryLoginStore())
        case .sqliteInMemory, .sqliteFile:
            try await withSQLiteStore { try await body($0) }
        case .postgres:
            try await TestPostgres.withStore { try await body($0) }
        }
    }
}

/// What every `LoginStore` must do, run against each store.
@Suite("Login store contract")
struct LoginStoreContractTests {
    let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000.25)

    func user(_ id: String, phone: String? = "+447700900123", email: String? = nil, username: String? = nil) -> LoginUser {
        LoginUser(
            id: id, phoneNumber: phone, email: email, username: username, externalUserID: "ext-\(id)",
            nameJSON: #"{"first_name":"Ada"}"#, customDataJSON: #"{"tier":"gold"}"#, createdAt: t0, updatedAt: t0
        )
    }

    func challenge(_ id: String, user: String = "u1", expires: TimeInterval = 300) -> OTPChallenge {
        OTPChallenge(
            id: id, app: "demo", userID: user, codeHash: Array("hash-\(id)".utf8), requestID: "req", sentTo: "+447700900123",
            approvalDataJSON: #"{"k":"v"}"#, createdAt: t0, expiresAt: t0.addingTimeInterval(expires)
        )
    }

    // MARK: Users

    let demo = UserScope(app: "demo")
    /// `other` sharing users with `demo`.
    let otherSharing = UserScope(app: "other", sharedWith: ["demo"])
    /// `other` on its own.
    let otherIsolated = UserScope(app: "other")

    @Test(arguments: StoreKind.allCases)
    func createdUserComesBackWithEveryField(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let created = try await store.createUser(user("u1", email: "ada@example.com", username: "ada"), in: demo)
            guard case .created(let stored) = created else { Issue.record("expected created, got \(created)"); return }
            #expect(stored == user("u1", email: "ada@example.com", username: "ada"))
            #expect(try await store.user(.phoneNumber("+447700900123"), in: demo) == stored)
            #expect(try await store.user(.email("ada@example.com"), in: demo) == stored)
            #expect(try await store.user(.username("ada"), in: demo) == stored)
            #expect(try await store.user(.userID("u1"), in: demo) == stored)
            #expect(try await store.user(.userID("u1"), in: otherSharing) == nil)
            #expect(try await store.user(.phoneNumber("+447700900999"), in: demo) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func existingUserIsAddedToASharingAppUnchangedAndTakenInTheSameApp(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            _ = try await store.createUser(user("u1"), in: demo)
            var again = user("u2")
            again.externalUserID = "changed"
            #expect(try await store.createUser(again, in: otherSharing) == .addedToApp(user("u1")))
            #expect(try await store.user(.userID("u1"), in: otherSharing)?.externalUserID == "ext-u1")
            #expect(try await store.createUser(user("u3"), in: demo) == .taken(field: "phone_number"))
            // Identifiers of two different users.
            _ = try await store.createUser(user("u4", phone: "+447700900456", email: "b@example.com"), in: demo)
            #expect(try await store.createUser(user("u5", email: "b@example.com"), in: otherSharing) == .conflict(field: "email"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func isolatedAppsNeitherFindNorAttachEachOthersUsers(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            _ = try await store.createUser(user("u1", email: "ada@example.com", username: "ada"), in: demo)
            // Same identifiers in an app that does not share: its own, new user.
            let theirs = user("u2", email: "ada@example.com", username: "ada")
            #expect(try await store.createUser(theirs, in: otherIsolated) == .created(theirs))
            #expect(try await store.user(.phoneNumber("+447700900123"), in: demo)?.id == "u1")
            #expect(try await store.user(.phoneNumber("+447700900123"), in: otherIsolated)?.id == "u2")
            #expect(try await store.user(.userID("u1"), in: otherIsolated) == nil)
            #expect(try await store.user(.userID("u2"), in: demo) == nil)
            #expect(try await store.user(.username("ada"), in: UserScope(app: "third")) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func membershipAloneDoesNotShowAUserOnceSharingEnds(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            _ = try await store.createUser(user("u1"), in: demo)
            #expect(try await store.createUser(user("u2"), in: otherSharing) == .addedToApp(user("u1")))
            #expect(try await store.user(.phoneNumber("+447700900123"), in: otherSharing)?.id == "u1")
            // The configuration stops sharing: `other` is still a member's app, but may not see the user.
            #expect(try await store.user(.phoneNumber("+447700900123"), in: otherIsolated) == nil)
            #expect(try await store.user(.userID("u1"), in: otherIsolated) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func identifiersThatDisagreeWithTheUserTheyMatchAreAConflictAndStoreNothing(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let carol = user("carol", phone: "+447700900171", username: "carol171")
            _ = try await store.createUser(carol, in: demo)
            // Carol's username with another phone: never merged, in her app or a sharing one.
            let mismatched = user("x1", phone: "+447700900172", username: "carol171")
            #expect(try await store.createUser(mismatched, in: demo) == .conflict(field: "phone_number"))
            #expect(try await store.createUser(mismatched, in: otherSharing) == .conflict(field: "phone_number"))
            // An identifier Carol does not have is no agreement either.
            #expect(try await store.createUser(user("x2", phone: "+447700900171", email: "c@example.com"), in: otherSharing) == .conflict(field: "email"))
            #expect(try await store.user(.phoneNumber("+447700900172"), in: demo) == nil)
            #expect(try await store.user(.userID("carol"), in: otherSharing) == nil)
            #expect(try await store.user(.userID("x1"), in: otherSharing) == nil)
            // Some of her identifiers, all agreeing: she is added as she is.
            #expect(try await store.createUser(user("x3", phone: nil, username: "carol171"), in: otherSharing) == .addedToApp(carol))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func phoneVerificationKeepsTheFirstTime(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            _ = try await store.createUser(user("u1"), in: demo)
            try await store.markPhoneNumberVerified(userID: "u1", at: t0.addingTimeInterval(10))
            try await store.markPhoneNumberVerified(userID: "u1", at: t0.addingTimeInterval(20))
            let found = try #require(try await store.user(.userID("u1"), in: demo))
            #expect(found.phoneNumberVerified)
            #expect(found.phoneNumberVerifiedAt == t0.addingTimeInterval(10).roundedForTest)
        }
    }

    // MARK: Challenges and lockout

    @Test(arguments: StoreKind.allCases)
    func newChallengeReplacesThePreviousOne(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1"))
            try await store.putChallenge(challenge("c2"))
            #expect(try await store.challenge(app: "demo", userID: "u1") == challenge("c2"))
            try await store.deleteChallenge(id: "c1")
            #expect(try await store.challenge(app: "demo", userID: "u1")?.id == "c2")
            try await store.deleteChallenge(id: "c2")
            #expect(try await store.challenge(app: "demo", userID: "u1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rightCodeIsAcceptedOnce(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1"))
            let policy = LockoutPolicy(maxFailures: 3, lockout: .seconds(900))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in true } == .accepted(challenge("c1")))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in true } == .noChallenge)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func expiredCodeIsRefusedAndRemoved(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1", expires: 60))
            let policy = LockoutPolicy(maxFailures: 3, lockout: .seconds(900))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0.addingTimeInterval(60), policy: policy) { _ in true } == .expired)
            #expect(try await store.challenge(app: "demo", userID: "u1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func failuresLockThenCountAfresh(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let policy = LockoutPolicy(maxFailures: 3, lockout: .seconds(900))
            try await store.putChallenge(challenge("c1"))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 1, lockedUntil: nil))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 2, lockedUntil: nil))
            let until = t0.addingTimeInterval(900).roundedForTest
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 3, lockedUntil: until))
            // The code is gone and the user locked, even for the right code.
            #expect(try await store.challenge(app: "demo", userID: "u1") == nil)
            #expect(try await store.lockedUntil(app: "demo", userID: "u1", now: t0.addingTimeInterval(899)) == until)
            try await store.putChallenge(challenge("c2", expires: 3600))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0.addingTimeInterval(899), policy: policy) { _ in true } == .locked(until: until))
            // After the lock the count starts afresh.
            let later = t0.addingTimeInterval(900)
            #expect(try await store.lockedUntil(app: "demo", userID: "u1", now: later) == nil)
            #expect(try await store.attempt(app: "demo", userID: "u1", now: later, policy: policy) { _ in false } == .rejected(failures: 1, lockedUntil: nil))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: later, policy: policy) { _ in true } == .accepted(challenge("c2", expires: 3600)))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rightCodeClearsTheFailuresBeforeIt(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let policy = LockoutPolicy(maxFailures: 3, lockout: .seconds(900))
            try await store.putChallenge(challenge("c1"))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 1, lockedUntil: nil))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 2, lockedUntil: nil))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in true } == .accepted(challenge("c1")))
            // The next code's count starts at one: two more wrong ones do not lock.
            try await store.putChallenge(challenge("c2"))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 1, lockedUntil: nil))
            #expect(try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } == .rejected(failures: 2, lockedUntil: nil))
            #expect(try await store.lockedUntil(app: "demo", userID: "u1", now: t0) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentWrongGuessesNeverExceedTheLimit(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1"))
            let policy = LockoutPolicy(maxFailures: 5, lockout: .seconds(900))
            let t0 = self.t0
            let outcomes = try await withThrowingTaskGroup(of: OTPAttemptOutcome.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in false } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let checked = outcomes.filter { if case .rejected = $0 { true } else { false } }
            #expect(checked.count == 5)
            #expect(outcomes.count { if case .locked = $0 { true } else { false } } == 45)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentRightAnswersSucceedOnce(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.putChallenge(challenge("c1"))
            let policy = LockoutPolicy(maxFailures: 5, lockout: .seconds(900))
            let t0 = self.t0
            let outcomes = try await withThrowingTaskGroup(of: OTPAttemptOutcome.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await store.attempt(app: "demo", userID: "u1", now: t0, policy: policy) { _ in true } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.count { if case .accepted = $0 { true } else { false } } == 1)
            #expect(outcomes.contains(.noChallenge))
        }
    }

    // MARK: Send limits

    @Test(arguments: StoreKind.allCases)
    func sendLimitsCooldownAndHourlyCap(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let limits = SendLimits(resendAfter: .seconds(30), maxPerHour: 3)
            #expect(try await store.reserveSend(key: "k", now: t0, limits: limits) == .reserved(at: t0.roundedForTest))
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(10), limits: limits) == .retryAfter(.seconds(20)))
            #expect(try await store.reserveSend(key: "other", now: t0.addingTimeInterval(10), limits: limits) == .reserved(at: t0.addingTimeInterval(10).roundedForTest))
            _ = try await store.reserveSend(key: "k", now: t0.addingTimeInterval(30), limits: limits)
            _ = try await store.reserveSend(key: "k", now: t0.addingTimeInterval(60), limits: limits)
            // Three in the hour: the next slot frees when the first leaves the window.
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(600), limits: limits) == .retryAfter(.seconds(3000)))
            // A cancelled reservation does not count.
            try await store.cancelSend(key: "k", at: t0.addingTimeInterval(60))
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(600), limits: limits) == .reserved(at: t0.addingTimeInterval(600).roundedForTest))
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(3601), limits: limits) == .reserved(at: t0.addingTimeInterval(3601).roundedForTest))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func overTheHourlyCapTheWaitEndsWhenEnoughSendsLeaveTheWindow(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let loose = SendLimits(resendAfter: .zero, maxPerHour: 1000)
            for minute in 0..<5 {
                _ = try await store.reserveSend(key: "k", now: t0.addingTimeInterval(Double(minute) * 60), limits: loose)
            }
            // Five counted, two allowed (the limit was lowered): four must leave, the one sent at
            // minute 3 last.
            let tight = SendLimits(resendAfter: .zero, maxPerHour: 2)
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(600), limits: tight) == .retryAfter(.seconds(3600 + 180 - 600)))
            // The cool-down counts from the newest send of the hour, whatever the hourly cap.
            let coolingDown = SendLimits(resendAfter: .seconds(300), maxPerHour: 1000)
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(300), limits: coolingDown) == .retryAfter(.seconds(240)))
            // An hour and a minute on, the sends of minutes 0 and 1 have left: of the three that
            // remain, two must leave, the one of minute 3 last.
            #expect(try await store.reserveSend(key: "k", now: t0.addingTimeInterval(3660), limits: tight) == .retryAfter(.seconds(3600 + 180 - 3660)))
            #expect(
                try await store.reserveSend(key: "k", now: t0.addingTimeInterval(3600 + 181), limits: tight)
                    == .reserved(at: t0.addingTimeInterval(3600 + 181).roundedForTest)
            )
        }
    }

    // MARK: Secrets and sessions

    @Test(arguments: StoreKind.allCases)
    func firstSecretWins(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let first: [UInt8] = try await store.secret(named: "key", orInsert: [1, 2, 3])
            let second: [UInt8] = try await store.secret(named: "key", orInsert: [9])
            let other: [UInt8] = try await store.secret(named: "other", orInsert: [0, 255])
            #expect(first == [1, 2, 3])
            #expect(second == [1, 2, 3])
            #expect(other == [0, 255])
        }
    }

    let owner = SessionOwner(app: "demo", clientID: "c")

    @Test(arguments: StoreKind.allCases)
    func refreshTokensRotateAndReuseRevokes(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            let session = UserSession(id: "s1", app: "demo", clientID: "c", userID: "u1", authTime: t0, createdAt: t0)
            try await store.createSession(session)
            #expect(try await store.session(id: "s1") == UserSession(id: "s1", app: "demo", clientID: "c", userID: "u1", authTime: t0.roundedForTest, createdAt: t0.roundedForTest))
            try await store.addRefreshToken(RefreshTokenRecord(hash: [1], sessionID: "s1", createdAt: t0, expiresAt: t0.addingTimeInterval(100)))
            let expires = t0.addingTimeInterval(200)
            #expect(try await store.rotateRefreshToken(hash: [1], owner: SessionOwner(app: "other", clientID: "c"), replacement: [2], expiresAt: expires, now: t0) == .invalid)
            guard case .rotated(let rotated) = try await store.rotateRefreshToken(hash: [1], owner: owner, replacement: [2], expiresAt: expires, now: t0) else {
                Issue.record("expected a rotation")
                return
            }
            #expect(rotated.id == "s1")
            #expect(try await store.rotateRefreshToken(hash: [9], owner: owner, replacement: [3], expiresAt: expires, now: t0) == .invalid)
            // Replaying the rotated token revokes the session: the new token dies too.
            #expect(try await store.rotateRefreshToken(hash: [1], owner: owner, replacement: [3], expiresAt: expires, now: t0) == .reused(sessionID: "s1"))
            #expect(try await store.rotateRefreshToken(hash: [2], owner: owner, replacement: [4], expiresAt: expires, now: t0) == .invalid)
            #expect(try await store.session(id: "s1")?.revokedAt != nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anotherClientsRefreshTokenIsUnknownAndChangesNothing(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.createSession(UserSession(id: "s1", app: "demo", clientID: "c", userID: "u1", authTime: t0, createdAt: t0))
            try await store.addRefreshToken(RefreshTokenRecord(hash: [1], sessionID: "s1", createdAt: t0, expiresAt: t0.addingTimeInterval(100)))
            let expires = t0.addingTimeInterval(200)
            let sibling = SessionOwner(app: "demo", clientID: "c2")
            #expect(try await store.rotateRefreshToken(hash: [1], owner: sibling, replacement: [2], expiresAt: expires, now: t0) == .invalid)
            guard case .rotated = try await store.rotateRefreshToken(hash: [1], owner: owner, replacement: [2], expiresAt: expires, now: t0) else {
                Issue.record("the owner's token no longer rotates")
                return
            }
            // A replay of the rotated token by another client is not a reuse: the session lives on.
            #expect(try await store.rotateRefreshToken(hash: [1], owner: sibling, replacement: [3], expiresAt: expires, now: t0) == .invalid)
            #expect(try await store.session(id: "s1")?.revokedAt == nil)
            #expect(try await store.revokeSession(id: "s1", owner: sibling, at: t0) == .notFound)
            #expect(try await store.session(id: "s1")?.revokedAt == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func expiredRefreshTokenAndLogout(kind: StoreKind) async throws {
        try await kind.withLoginStore { store in
            try await store.createSession(UserSession(id: "s1", app: "demo", clientID: "c", userID: "u1", authTime: t0, createdAt: t0))
            try await store.addRefreshToken(RefreshTokenRecord(hash: [1], sessionID: "s1", createdAt: t0, expiresAt: t0.addingTimeInterval(100)))
            try await store.addRefreshToken(RefreshTokenRecord(hash: [5], sessionID: "s1", createdAt: t0, expiresAt: t0.addingTimeInterval(1000)))
            #expect(try await store.rotateRefreshToken(hash: [1], owner: owner, replacement: [2], expiresAt: t0, now: t0.addingTimeInterval(100)) == .invalid)
            #expect(try await store.revokeSession(id: "s1", owner: SessionOwner(app: "other", clientID: "c"), at: t0) == .notFound)
            #expect(try await store.revokeSession(id: "nope", owner: owner, at: t0) == .notFound)
            #expect(try await store.revokeSession(id: "s1", owner: owner, at: t0) == .revoked)
            #expect(try await store.revokeSession(id: "s1", owner: owner, at: t0.addingTimeInterval(5)) == .alreadyEnded)
            // The first end stands.
            #expect(try await store.session(id: "s1")?.revokedAt == t0.roundedForTest)
            #expect(try await store.rotateRefreshToken(hash: [5], owner: owner, replacement: [6], expiresAt: t0, now: t0) == .invalid)
        }
    }
}

extension Date {
    /// The date as stores keep it: to the microsecond.
    var roundedForTest: Date {
        Date(timeIntervalSinceReferenceDate: (timeIntervalSinceReferenceDate * 1_000_000).rounded() / 1_000_000)
    }
}
