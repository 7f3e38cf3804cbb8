import Foundation
import Logging
import SwitchboardCore

extension LoginService {
    /// The user's live challenge when a verify provider owns its code and that provider must be
    /// asked: not when the user is locked or the code has expired, which the store answers
    /// itself, before and without any provider.
    func ownedChallenge(app: String, userID: String, at: Date) async throws -> OTPChallenge? {
        guard try await store.lockedUntil(app: app, userID: userID, now: at) == nil,
            let challenge = try await store.challenge(app: app, userID: userID), challenge.owner != nil, challenge.expiresAt > at
        else { return nil }
        return challenge
    }

    /// Asks the challenge's owner about the passcode and turns its answer into the test the store
    /// applies atomically, so that our lockout, expiry and single use hold on top of the owner's:
    /// approved matches this challenge only (not one a newer send put in its place), wrong matches
    /// nothing and counts as a failure.
    /// - Throws: ``LoginError/passcodeExpired`` when the owner no longer has the code (it is
    ///   removed); ``LoginError/locked(retryAfterSeconds:)`` when the owner locked it (counted and
    ///   removed); ``LoginError/codeCheckUnavailable`` when the owner gave no answer about the code,
    ///   with nothing counted or removed.
    func askOwner(
        _ challenge: OTPChallenge, passcode: String, requestID: String?, policy: LockoutPolicy, at: Date, logger: Logger
    ) async throws -> @Sendable (OTPChallenge) -> Bool {
        let wrong: @Sendable (OTPChallenge) -> Bool = { _ in false }
        // A send that asked for a request id is checked here first: without it, no provider is asked.
        if let expected = challenge.requestID, !ConstantTime.equalDigests(expected, requestID ?? "") { return wrong }
        let owner = challenge.owner ?? ""
        guard let verifier = verifiers[owner], let sentTo = challenge.sentTo, let number = try? PhoneNumberParser.parse(sentTo) else {
            // The provider left the configuration since the send: its code cannot be checked until it is back.
            logger.warning("the provider that owns an OTP is not configured", metadata: ["sb.app": "\(challenge.app)", "sb.provider": "\(owner)"])
            throw LoginError.codeCheckUnavailable
        }
        // A network deadline, on the clock transports use (the flow's clock is moved by tests).
        let deadline = ContinuousClock.now + config.delivery.attemptTimeout
        let answer = await verifier.check(code: passcode, to: number, deadline: deadline, logger: logger)
        logger.info(
            "OTP checked by its provider",
            metadata: [
                "sb.app": "\(challenge.app)", "sb.provider": "\(owner)", "sb.otp.check": "\(answer.outcome.rawValue)",
                "sb.provider.code": "\(answer.code ?? "")",
            ]
        )
        switch answer.outcome {
        case .approved:
            let id = challenge.id
            return { $0.id == id }
        case .wrong:
            return wrong
        case .expired:
            try await store.deleteChallenge(id: challenge.id)
            throw LoginError.passcodeExpired
        case .locked:
            // The owner will accept no code for this send any more: a wrong answer for us too, and gone.
            let counted = try await store.attempt(app: challenge.app, userID: challenge.userID, now: at, policy: policy, matches: wrong)
            try await store.deleteChallenge(id: challenge.id)
            let until: Duration =
                if case .rejected(_, let lockedUntil?) = counted { lockedUntil.duration(since: at) } else { policy.lockout }
            throw LoginError.locked(retryAfterSeconds: Int(until.retryAfterSeconds))
        case .retryable:
            throw LoginError.codeCheckUnavailable
        }
    }
}
