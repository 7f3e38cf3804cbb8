import Foundation
package import Logging
import SwitchboardCore

extension LoginService {
    /// Makes a code for the user and sends it (or, for `direct`, returns it).
    /// - Throws: ``LoginError``; `SendError`s of the request (country, sender, template) become `invalidInput`.
    package func sendOTP(_ input: SendOTPInput, client: ClientContext, logger: Logger) async throws -> SendOTPResult {
        let app = client.app
        guard !input.identifier.isEmpty else { throw LoginError.invalidInput("identifier must not be empty") }
        let direct: Bool
        switch input.channel {
        case "sms": direct = false
        case "direct":
            guard app.allowDirectChannel else {
                throw LoginError.invalidInput("channel direct is not allowed for this app; set allow_direct_channel: true in its configuration")
            }
            direct = true
        case "email": throw LoginError.invalidInput("channel email is not supported by this server; use sms")
        default: throw LoginError.invalidInput("channel must be sms or direct")
        }
        let identifier = try identifier(type: input.identifierType, value: input.identifier)
        let template = try customTemplate(input)
        let sender = try customSender(input)
        let minutes = try expiry(input, app: app)
        try checkApprovalData(input.approvalData)
        var customNumber: PhoneNumber?
        if let given = input.customPhoneNumber {
            guard let number = try? PhoneNumberParser.parse(given) else {
                throw LoginError.invalidInput("custom_phone_number must be a valid phone number in E.164 format")
            }
            customNumber = number
        }

        let conceal = app.unknownUsers == .conceal && !direct
        let user = try await store.user(identifier, in: app.userScope)
        let destination = customNumber ?? user?.phoneNumber.flatMap { try? PhoneNumberParser.parse($0) }
        guard let user, let destination else {
            if conceal {
                return try await concealedSend(
                    input, identifier: identifier, knownUserID: user?.id, customNumber: customNumber, minutes: minutes, app: app, logger: logger
                )
            }
            throw user == nil ? LoginError.userNotFound : LoginError.phoneNumberMissing
        }
        guard user.status == .active else { throw LoginError.userNotActive }
        try checkCountry(destination, app: app)
        let at = now()
        let codeKey = try await keys.get().codeKey
        let code = OTPCodes.generate(length: app.otp.codeLength)
        let challengeID = OTPCodes.randomID()
        let requestID = input.generateRequestID ? OTPCodes.randomID() : nil
        let challenge = OTPChallenge(
            id: challengeID, app: app.id, userID: user.id, codeHash: OTPCodes.hash(code: code, challengeID: challengeID, key: codeKey),
            requestID: requestID, sentTo: direct ? nil : destination.e164, approvalDataJSON: Self.json(input.approvalData),
            createdAt: at, expiresAt: at.addingTimeInterval(TimeInterval(minutes * 60))
        )
        let limitKey = Self.sendLimitKey(app: app, to: destination.e164)
        // Stored before sending, so that the code works the moment the SMS lands.
        let reservedAt = try await issue(challenge, sendLimit: direct ? nil : limitKey, at: at, logger: logger)
        let result = SendOTPResult(code: direct ? code : nil, requestID: requestID, approvalData: input.approvalData)
        if direct {
            logger.info("OTP issued on the direct channel", metadata: ["sb.app": "\(app.id)", "sb.user": "\(user.id)"])
            return result
        }
        let request = SendRequest(
            to: destination.e164, app: app.id, kind: .otp, content: .template(otp: code, minutes: minutes, template: template), sender: sender
        )
        if conceal {
            // In conceal mode the answer must not depend on delivery (a 502 would tell that the user
            // exists), nor take longer: deliver after answering. Failures go to the log and message log.
            let store = self.store
            let gateway = self.gateway
            let delivery: @Sendable () async -> Void = {
                await Self.deliver(request, challenge: challenge, reservation: reservedAt.map { (limitKey.key, $0) }, store: store, gateway: gateway, logger: logger)
            }
            // Shutting down: deliver before answering rather than not at all.
            if !deferredDeliveries.enqueue(delivery) { await delivery() }
            return result
        }
        let delivered = await Self.deliver(request, challenge: challenge, reservation: reservedAt.map { (limitKey.key, $0) }, store: store, gateway: gateway, logger: logger)
        switch delivered {
        case .success: return result
        case .failure(let error): throw error
        }
    }

    /// Sends; on failure removes the code (no usable code is left behind) and uncounts the send.
    @discardableResult
    private static func deliver(
        _ request: SendRequest, challenge: OTPChallenge, reservation: (key: String, at: Date)?, store: any LoginStore, gateway: Gateway,
        logger: Logger
    ) async -> Result<Void, any Error> {
        let failure: any Error
        do {
            let sent = try await gateway.send(request, logger: logger)
            logger.info("OTP sent", metadata: ["sb.app": "\(request.app)", "sb.message.id": "\(sent.messageID)", "sb.to": "\(PhoneMask.mask(request.to))"])
            return .success(())
        } catch let error as SendError {
            if case .deliveryFailed = error {
                failure = LoginError.deliveryFailed
            } else {
                failure = LoginError.invalidInput("\(error)")
            }
        } catch {
            failure = error
        }
        logger.warning("OTP not sent", metadata: ["sb.app": "\(request.app)", "sb.to": "\(PhoneMask.mask(request.to))"])
        do {
            try await store.deleteChallenge(id: challenge.id)
            if let reservation { try await store.cancelSend(key: reservation.key, at: reservation.at) }
        } catch {
            logger.error("could not remove the code of a failed OTP send", metadata: ["sb.app": "\(request.app)"])
        }
        return .failure(failure)
    }

    /// Stores the challenge in one atomic step, unless the user is locked or the send limits say wait.
    /// - Returns: The counted send, to cancel if the message is not sent after all.
    private func issue(_ challenge: OTPChallenge, sendLimit: SendLimitKey?, at: Date, logger: Logger) async throws -> Date? {
        switch try await store.issueChallenge(challenge, sendLimit: sendLimit, now: at) {
        case .issued(let reservedAt): return reservedAt
        case .locked(let until): throw LoginError.locked(retryAfterSeconds: Self.seconds(until.timeIntervalSince(at)))
        case .tooManySends(let wait):
            let to = challenge.sentTo.map(PhoneMask.mask) ?? "-"
            logger.info("OTP send refused by the send limits", metadata: ["sb.app": "\(challenge.app)", "sb.to": "\(to)"])
            throw LoginError.tooManySends(retryAfterSeconds: Self.seconds(wait))
        }
    }

    /// The send counter of one number in an app, with the app's limits.
    private static func sendLimitKey(app: AppSettings, to key: String) -> SendLimitKey {
        SendLimitKey(key: "\(app.id):\(key)", limits: SendLimits(resendAfter: app.otp.resendAfter, maxPerHour: app.otp.maxSendsPerHour))
    }

    private func checkCountry(_ destination: PhoneNumber, app: AppSettings) throws(LoginError) {
        guard app.countries.permits(destination.region) else {
            throw .invalidInput("this app may not send to \(destination.region); see its countries in the configuration")
        }
    }

    /// The answer for an unknown user (or a user without a phone number) in conceal mode: the same
    /// checks, hashing and store step as a real send, and the same body; nothing is sent.
    ///
    /// A challenge is stored as for a user, under ``UnknownUserID`` when there is none, so that
    /// wrong codes count, lock and expire exactly as a user's do. Its hash is random bytes, not the
    /// hash of any code, so no code can ever match it.
    private func concealedSend(
        _ input: SendOTPInput, identifier: UserIdentifier, knownUserID: String?, customNumber: PhoneNumber?, minutes: Int, app: AppSettings,
        logger: Logger
    ) async throws -> SendOTPResult {
        var destination = customNumber
        if destination == nil, case .phoneNumber(let number) = identifier { destination = try? PhoneNumberParser.parse(number) }
        if let destination { try checkCountry(destination, app: app) }
        let at = now()
        let codeKey = try await keys.get().codeKey
        let subject = knownUserID ?? UnknownUserID.make(for: identifier, key: codeKey)
        let challengeID = OTPCodes.randomID()
        _ = OTPCodes.hash(code: OTPCodes.generate(length: app.otp.codeLength), challengeID: challengeID, key: codeKey)
        let requestID = input.generateRequestID ? OTPCodes.randomID() : nil
        let challenge = OTPChallenge(
            id: challengeID, app: app.id, userID: subject, codeHash: Array(OTPCodes.randomBytes(32)), requestID: requestID,
            sentTo: nil, approvalDataJSON: Self.json(input.approvalData), createdAt: at, expiresAt: at.addingTimeInterval(TimeInterval(minutes * 60))
        )
        let limitKey = Self.sendLimitKey(app: app, to: destination?.e164 ?? subject)
        _ = try await issue(challenge, sendLimit: limitKey, at: at, logger: logger)
        logger.info("OTP send for an unknown user answered as sent", metadata: ["sb.app": "\(app.id)"])
        return SendOTPResult(code: nil, requestID: requestID, approvalData: input.approvalData)
    }

    private func customTemplate(_ input: SendOTPInput) throws(LoginError) -> MessageTemplate? {
        guard let text = input.customMessage else { return nil }
        guard text.count <= 140 else { throw .invalidInput("custom_sms_input.custom_message must be at most 140 characters") }
        guard text.contains("{otp}"), text.contains("{app}") else {
            throw .invalidInput("custom_sms_input.custom_message must contain the {otp} and {app} placeholders")
        }
        do {
            return try MessageTemplate(parsing: text)
        } catch {
            throw .invalidInput("custom_sms_input.custom_message: \(error)")
        }
    }

    private func customSender(_ input: SendOTPInput) throws(LoginError) -> SenderID? {
        guard let text = input.senderID else { return nil }
        let sender: SenderID
        do {
            sender = try SenderID(parsing: text)
        } catch {
            throw .invalidInput("custom_sms_input.sender_id: \(error)")
        }
        guard sender.isAlphanumeric, text.count <= 11 else {
            throw .invalidInput("custom_sms_input.sender_id must be an alphanumeric sender of at most 11 characters, such as ACME")
        }
        return sender
    }

    private func expiry(_ input: SendOTPInput, app: AppSettings) throws(LoginError) -> Int {
        guard let minutes = input.expiresInMinutes else { return app.otp.expiresInMinutes }
        guard (1...1440).contains(minutes) else { throw .invalidInput("expires_in must be a whole number of minutes from 1 to 1440") }
        return minutes
    }

    private func checkApprovalData(_ data: [String: String]?) throws(LoginError) {
        guard let data else { return }
        guard data.count <= 10 else { throw .invalidInput("approval_data may have at most 10 keys") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        for (key, value) in data where key.isEmpty || !key.allSatisfy(allowed.contains) || !value.allSatisfy(allowed.contains) {
            throw .invalidInput("approval_data keys and values may contain only letters, digits, _, - and .")
        }
    }
}
