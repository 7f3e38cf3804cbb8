import Foundation
package import Logging
import SwitchboardCore

extension LoginService {
    /// Makes a code for the user and sends it (or, for `direct`, returns it).
    /// - Throws: ``LoginError``; `SendError`s of the request (country, sender, template) become `invalidInput`.
    package func sendOTP(_ input: SendOTPInput, client: ClientContext, logger: Logger) async throws -> SendOTPResult {
        let issued: IssuedCode
        switch try await issueCode(input, client: client, logger: logger) {
        case .answered(let result): return result
        case .toSend(let code): issued = code
        }
        if issued.conceal {
            // In conceal mode the answer must not depend on delivery (a 502 would tell that the user
            // exists), nor take longer: deliver after answering. Failures go to the log and message log.
            let store = self.store
            let gateway = self.gateway
            let verifiers = Set(self.verifiers.keys)
            let observer = self.observer
            let delivery: @Sendable () async -> Void = {
                await Self.deliver(issued, store: store, gateway: gateway, verifiers: verifiers, observer: observer, logger: logger)
            }
            // No background work, or shutting down: deliver before answering rather than not at all.
            if background?.submit(delivery) != true { await delivery() }
            return issued.result
        }
        switch await Self.deliver(issued, store: store, gateway: gateway, verifiers: Set(verifiers.keys), observer: observer, logger: logger) {
        case .success: return issued.result
        case .failure(let error): throw error
        }
    }

    /// A code stored and counted, and the message that carries it, still to send.
    private struct IssuedCode: Sendable {
        var request: SendRequest
        var challenge: OTPChallenge
        var reservation: CountedSend?
        var conversion: ConversionSend?
        var result: SendOTPResult
        /// Conceal mode: the answer does not wait for the delivery.
        var conceal: Bool
    }

    private enum Issuing: Sendable {
        /// Nothing to send: the direct channel's code, or conceal mode's answer for an unknown user.
        case answered(SendOTPResult)
        case toSend(IssuedCode)
    }

    /// Every step of ``sendOTP(_:client:logger:)`` before its message goes out: the checks, the
    /// code, and the store step that counts the send and stores the challenge. A function of its
    /// own, never inlined: an async function's frame holds all that any part of it keeps across a
    /// suspension, for as long as it runs, and what these steps need would otherwise stay in the
    /// frame of every OTP send while its provider answers.
    @inline(never)
    private func issueCode(_ input: SendOTPInput, client: ClientContext, logger: Logger) async throws -> Issuing {
        let app = client.app
        let send: ValidSendOTPInput
        do {
            send = try ValidSendOTPInput(input, app: app)
        } catch {
            if case .refused(let refusal) = error { observer?.loginEvent(.abuseRefused(refusal.rule), app: app.id, country: LoginEvent.unknownCountry) }
            throw error
        }
        let direct = send.direct
        let minutes = send.expiresInMinutes

        let conceal = app.unknownUsers == .conceal && !direct
        let user = try await store.user(send.identifier, in: app.userScope)
        let destination = send.customNumber ?? storedPhoneNumber(of: user, read: send.identifierNumber, logger: logger)
        guard let user, let destination else {
            if conceal {
                return .answered(try await concealedSend(send, knownUserID: user?.id, app: app, logger: logger))
            }
            // `if case`, not `== nil`: see `authenticate`.
            if case .some = user { throw LoginError.phoneNumberMissing }
            throw LoginError.userNotFound
        }
        guard user.status == .active else { throw LoginError.userNotActive }
        try checkDestination(destination, send: send, app: app)
        let at = clock.date
        let codeKey = try await keys.get().codeKey
        let code = OTPCodes.generate(length: app.otp.codeLength)
        let challengeID = OTPCodes.randomID()
        let requestID = send.generateRequestID ? OTPCodes.randomID() : nil
        let challenge = OTPChallenge(
            id: challengeID, app: app.id, userID: user.id, codeHash: OTPCodes.hash(code: code, challengeID: challengeID, key: codeKey),
            requestID: requestID, sentTo: direct ? nil : destination.e164, approvalDataJSON: try ApprovalDataJSON.encode(send.approvalData),
            createdAt: at, expiresAt: at.addingTimeInterval(TimeInterval(minutes * 60))
        )
        let limitKeys =
            direct
            ? [] : Self.sendLimitKeys(app: app, to: destination.e164, user: user.id, customNumber: send.customNumber != nil, address: send.clientAddress)
        let counting = direct ? nil : try await countConversionSend(destination, app: app, at: at, logger: logger)
        let conversion = counting?.send
        let abuse =
            direct
            ? SendAbuseCounters.none
            : SendAbuseCounters(
                prefix: prefixNote(destination, app: app), budget: app.otp.budgets.counters(app: app.id, country: destination.region),
                conversion: counting?.inIssueStep
            )
        // Counted and stored before sending, so that the code works the moment the SMS lands.
        let reservedAt: Date?
        do {
            reservedAt = try await issue(challenge, sendLimits: limitKeys, abuse: abuse, at: at, country: destination.region, logger: logger)
        } catch {
            await counting?.takeBackUnissued(from: store, logger: logger)
            throw error
        }
        let reservation = reservedAt.map { CountedSend(limitKeys: limitKeys.map(\.key), budget: abuse.budget, at: $0) }
        let result = SendOTPResult(code: direct ? code : nil, requestID: requestID, approvalData: send.approvalData)
        if direct {
            logger.logOutsideFrame(.info, "OTP issued on the direct channel", metadata: ["sb.app": "\(app.id)", "sb.user": "\(user.id)"])
            return .answered(result)
        }
        let request = SendRequest(
            to: destination, app: app.id, kind: .otp, content: .template(otp: code, minutes: minutes, template: send.template), sender: send.sender,
            // Only when some provider could send its own code: otherwise nothing would read it.
            allowsOwnedCode: !verifiers.isEmpty
        )
        return .toSend(
            IssuedCode(request: request, challenge: challenge, reservation: reservation, conversion: conversion, result: result, conceal: conceal)
        )
    }

    /// Sends; on failure removes the code (no usable code is left behind) and uncounts the send.
    /// When a verify provider took the message, the code it sent is its own: the challenge
    /// records it as the owner, which authenticate asks. Never inlined: what its steps keep would
    /// otherwise take room in the frame of `sendOTP` (or of the conceal mode's delivery), which an
    /// OTP send keeps while its provider answers.
    @discardableResult
    @inline(never)
    private static func deliver(
        _ issued: IssuedCode, store: any LoginStore, gateway: Gateway, verifiers: Set<String>, observer: (any LoginObserver)?, logger: Logger
    ) async -> Result<Void, any Error> {
        let request = issued.request
        let failure: any Error
        do {
            let sent = try await gateway.send(request, logger: logger)
            if verifiers.contains(sent.provider) {
                try await store.assignChallengeOwner(id: issued.challenge.id, owner: sent.provider)
            }
            observer?.loginEvent(.sent, app: request.app, country: sent.country)
            logger.logOutsideFrame(
                .info, "OTP sent",
                metadata: ["sb.app": "\(request.app)", "sb.message.id": "\(sent.messageID)", "sb.to": "\(PhoneMask.mask(request.to))"]
            )
            return .success(())
        } catch let error as SendError {
            failure = LoginError(error)
        } catch {
            failure = error
        }
        logger.logOutsideFrame(.warning, "OTP not sent", metadata: ["sb.app": "\(request.app)", "sb.to": "\(PhoneMask.mask(request.to))"])
        await issued.conversion?.takeBack(from: store, logger: logger)
        do {
            try await store.deleteChallenge(id: issued.challenge.id)
            try await issued.reservation?.cancel(in: store)
        } catch {
            logger.logOutsideFrame(.error, "could not remove the code of a failed OTP send", metadata: ["sb.app": "\(request.app)"])
        }
        return .failure(failure)
    }

    /// Notes the prefix, spends the budgets, counts the send limits and stores the challenge in one
    /// store step (one commit), unless a rule refuses the send; a refusal keeps only what the old
    /// steps one by one kept (the prefix note, a budget's refusal mark).
    /// - Returns: When the send was counted, to cancel if the message is not sent after all.
    private func issue(
        _ challenge: OTPChallenge, sendLimits: [SendLimitKey], abuse: SendAbuseCounters, at: Date, country: String, logger: Logger
    ) async throws -> Date? {
        switch try await store.issueChallenge(challenge, sendLimits: sendLimits, abuse: abuse, now: at) {
        case .issued(let reservedAt):
            return reservedAt
        case .prefixBlocked(let until, let newly, let numbers):
            throw prefixBlocked(
                app: challenge.app, prefix: abuse.prefix?.prefix ?? "", country: country, until: until, newly: newly, numbers: numbers, at: at,
                logger: logger
            )
        case .overBudget(let counter, let wait, let firstRefusal):
            throw overBudget(counter, wait: wait, firstRefusal: firstRefusal, app: challenge.app, country: country, logger: logger)
        case .locked(let until):
            throw LoginError.locked(retryAfterSeconds: Int(until.duration(since: at).retryAfterSeconds))
        case .tooManySends(let wait):
            let to = challenge.sentTo.map(PhoneMask.mask) ?? "-"
            logger.info("OTP send refused by the send limits", metadata: ["sb.app": "\(challenge.app)", "sb.to": "\(to)"])
            observer?.loginEvent(.sendRefused, app: challenge.app, country: country)
            throw LoginError.tooManySends(retryAfterSeconds: Int(wait.retryAfterSeconds))
        }
    }

    /// The answer for an unknown user (or a user without a phone number) in conceal mode: the same
    /// checks, hashing and store step as a real send, and the same body; nothing is sent.
    ///
    /// A challenge is stored as for a user, under ``UnknownUserID`` when there is none, so that
    /// wrong codes count, lock and expire exactly as a user's do. Its hash is random bytes, not the
    /// hash of any code, so no code can ever match it.
    private func concealedSend(_ send: ValidSendOTPInput, knownUserID: String?, app: AppSettings, logger: Logger) async throws -> SendOTPResult {
        let destination = send.customNumber ?? send.identifierNumber
        if let destination { try checkDestination(destination, send: send, app: app) }
        let at = clock.date
        let codeKey = try await keys.get().codeKey
        let subject = knownUserID ?? UnknownUserID.make(for: send.identifier, key: codeKey)
        let challengeID = OTPCodes.randomID()
        _ = OTPCodes.hash(code: OTPCodes.generate(length: app.otp.codeLength), challengeID: challengeID, key: codeKey)
        let requestID = send.generateRequestID ? OTPCodes.randomID() : nil
        let challenge = OTPChallenge(
            id: challengeID, app: app.id, userID: subject, codeHash: SecureRandom.bytes(32), requestID: requestID,
            sentTo: nil, approvalDataJSON: try ApprovalDataJSON.encode(send.approvalData), createdAt: at,
            expiresAt: at.addingTimeInterval(TimeInterval(send.expiresInMinutes * 60))
        )
        let limitKeys = Self.sendLimitKeys(
            app: app, to: destination?.e164 ?? subject, user: subject, customNumber: send.customNumber != nil, address: send.clientAddress
        )
        // The same prefix note, budget and conversion count as a real send, so that they answer
        // alike for known and unknown users.
        var counting: ConversionCounting?
        if let destination { counting = try await countConversionSend(destination, app: app, at: at, logger: logger) }
        let abuse = SendAbuseCounters(
            prefix: destination.flatMap { prefixNote($0, app: app) },
            budget: destination.map { app.otp.budgets.counters(app: app.id, country: $0.region) } ?? [],
            conversion: counting?.inIssueStep
        )
        do {
            _ = try await issue(
                challenge, sendLimits: limitKeys, abuse: abuse, at: at, country: destination?.region ?? LoginEvent.unknownCountry, logger: logger
            )
        } catch {
            await counting?.takeBackUnissued(from: store, logger: logger)
            throw error
        }
        logger.info("OTP send for an unknown user answered as sent", metadata: ["sb.app": "\(app.id)"])
        return SendOTPResult(code: nil, requestID: requestID, approvalData: send.approvalData)
    }

    /// The user's stored number; `nil` when there is none, or when it no longer parses (a number
    /// stored before the numbering plan changed), which is logged: the send then goes as for a
    /// user without a number. `read` is the request's identifier, when it was a number: the
    /// stored one usually is that number, already read. Never inlined, and given the optional user
    /// as it came: unwrapping or logging in `issueCode` would copy the user into its frame.
    @inline(never)
    private func storedPhoneNumber(of user: LoginUser?, read: PhoneNumber?, logger: Logger) -> PhoneNumber? {
        guard let user, let stored = user.phoneNumber else { return nil }
        if let read, read.e164 == stored { return read }
        do {
            return try PhoneNumberParser.parse(stored)
        } catch {
            logger.warning(
                "a user's stored phone number does not parse; answering as for a user without one",
                metadata: ["sb.user": "\(user.id)", "sb.to": "\(PhoneMask.mask(stored))"]
            )
            return nil
        }
    }
}
