import Foundation
package import Logging
import SwitchboardCore

extension LoginService {
    /// Checks the code and, when it is right, opens (or continues) a session and issues tokens.
    package func authenticate(_ input: AuthenticateInput, client: ClientContext, logger: Logger) async throws -> TokenSet {
        let app = client.app
        guard !input.passcode.isEmpty else { throw LoginError.invalidInput("passcode must not be empty") }
        let (identifier, identifierNumber) = try UserIdentifier.read(type: input.identifierType, value: input.identifier)
        let user = try await store.user(identifier, in: app.userScope)
        // `if case`, not `!= nil`: each comparison of an optional user with `nil` would copy it into
        // this function's frame, which a login keeps from its first suspension to its last.
        let known = if case .some = user { true } else { false }
        guard known || app.unknownUsers == .conceal else { throw LoginError.userNotFound }
        if let user, user.status != .active { throw LoginError.userNotActive }
        let codeKey = try await keys.get().codeKey
        // In conceal mode an unknown identifier is checked against the challenge its sends stored
        // (see `concealedSend`), so its failures count and lock as a user's do.
        let subject = user?.id ?? UnknownUserID.make(for: identifier, key: codeKey)
        let passcode = input.passcode
        let requestID = input.requestID
        let at = clock.date
        let refreshToken = RefreshToken.make(at: at)
        let refreshRecord = RefreshTokenRecord(
            hash: RefreshToken.storageKey(of: refreshToken),
            sessionID: input.sessionID ?? TimeOrderedID.make(at: at, randomBytes: 16),
            createdAt: at,
            expiresAt: at.addingTimeInterval(Self.refreshLifetime)
        )
        var session = UserSession(id: refreshRecord.sessionID, app: app.id, clientID: client.clientID, userID: subject, authTime: at, createdAt: at)
        // Checked before the code is judged, so a wrong session_id does not use up the right code.
        // A session revoked after this check gets no working refresh token: rotation refuses it.
        let continued = try await continuedSession(input.sessionID, of: user, client: client)
        // A new session opens in the commit that accepts the code: one wait for the disk, not two.
        let opening = input.sessionID == nil && known ? NewSession(session: session, refreshToken: refreshRecord) : nil
        let policy = LockoutPolicy(maxFailures: app.otp.maxFailures, lockout: app.otp.lockout)
        var matches: @Sendable (OTPChallenge) -> Bool = { challenge in
            // Both checks always run, so the time does not tell which failed.
            let codeMatches = OTPCodes.matches(code: passcode, challengeID: challenge.id, codeHash: challenge.codeHash, key: codeKey)
            let requestMatches = challenge.requestID.map { ConstantTime.equalDigests($0, requestID ?? "") } ?? true
            return codeMatches && requestMatches
        }
        // Without verify providers no code has an owner: no extra store reads.
        if known, !verifiers.isEmpty, let owned = try await ownedChallenge(app: app.id, userID: subject, at: at) {
            matches = try await askOwner(owned, passcode: passcode, requestID: requestID, policy: policy, at: at, logger: logger)
        }
        let outcome = try await store.attempt(
            app: app.id, userID: subject, now: at, policy: policy, opening: opening, conversion: Self.conversionVerified(app: app), matches: matches
        )
        let challenge = try judged(outcome, app: app.id, user: user, read: identifierNumber, at: at, logger: logger)
        // An unknown identifier's stored hash is random bytes, which no code matches.
        guard let user else { throw LoginError.invalidCredentials }
        var verifiedUser = user
        if let sentTo = challenge.sentTo, sentTo == user.phoneNumber, !user.phoneNumberVerified {
            try await store.markPhoneNumberVerified(userID: user.id, at: at)
            verifiedUser.phoneNumberVerified = true
        }
        if let continued {
            session = continued
            session.authTime = at
            try await store.addRefreshToken(refreshRecord)
        }
        logger.logOutsideFrame(.info, "OTP login", metadata: ["sb.app": "\(app.id)", "sb.user": "\(user.id)", "sb.session": "\(session.id)"])
        return try await issueTokens(
            user: verifiedUser,
            session: session,
            client: client,
            resource: input.resource,
            approvalData: approvalData(of: challenge, logger: logger),
            authTime: at,
            refreshToken: refreshToken
        )
    }

    /// The store's judgement of a code, reported and logged: the challenge it accepted, or the
    /// error to answer. Never inlined: the copies of the user that reporting makes would otherwise
    /// take room in `authenticate`'s frame.
    @inline(never)
    private func judged(
        _ outcome: OTPAttemptOutcome, app: String, user: LoginUser?, read: PhoneNumber?, at: Date, logger: Logger
    ) throws -> OTPChallenge {
        switch outcome {
        case .accepted(let accepted):
            report(.verified(.approved), app: app, number: accepted.sentTo ?? user?.phoneNumber, userID: user?.id, read: read)
            return accepted
        case .rejected(let failures, let lockedUntil):
            report(.verified(.wrong), app: app, number: user?.phoneNumber, userID: user?.id)
            if lockedUntil != nil { report(.lockedOut, app: app, number: user?.phoneNumber) }
            logger.info(
                "wrong OTP",
                metadata: [
                    "sb.app": "\(app)", "sb.user": "\(user?.id ?? "unknown")", "sb.otp.failures": "\(failures)",
                    "sb.otp.locked": "\(lockedUntil != nil)",
                ]
            )
            throw LoginError.invalidCredentials
        case .noChallenge:
            report(.verified(.noCode), app: app, number: user?.phoneNumber, userID: user?.id)
            throw LoginError.invalidCredentials
        case .expired:
            report(.verified(.expired), app: app, number: user?.phoneNumber, userID: user?.id)
            throw LoginError.passcodeExpired
        case .locked(let until):
            report(.verified(.locked), app: app, number: user?.phoneNumber, userID: user?.id)
            throw LoginError.locked(retryAfterSeconds: Int(until.duration(since: at).retryAfterSeconds))
        }
    }

    /// The live session of this user and client that `sessionID` names, or `nil` without one.
    private func continuedSession(_ sessionID: String?, of user: LoginUser?, client: ClientContext) async throws -> UserSession? {
        guard let sessionID else { return nil }
        guard let user, let existing = try await store.session(id: sessionID), client.sessionOwner.owns(existing),
            existing.userID == user.id, existing.revokedAt == nil
        else {
            throw LoginError.invalidInput("session_id does not name a live session of this user")
        }
        return existing
    }

    /// The approval data the challenge's send stored; `nil` when the stored text does not decode,
    /// which is logged: the login still succeeds, its id token without the data.
    private func approvalData(of challenge: OTPChallenge, logger: Logger) -> [String: String]? {
        guard let text = challenge.approvalDataJSON else { return nil }
        do {
            return try ApprovalDataJSON.decode(text)
        } catch {
            logger.warning(
                "a challenge's stored approval data does not decode; the id token goes without it",
                metadata: ["sb.app": "\(challenge.app)"]
            )
            return nil
        }
    }
}
