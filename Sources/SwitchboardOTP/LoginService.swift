import Crypto
package import Foundation
package import Logging
package import SwitchboardCore

/// The OTP login flow: client tokens, users, sending and checking codes, user tokens and sessions.
///
/// Every SMS goes through ``Gateway/send(_:logger:)``. All state is in the ``LoginStore``; the
/// keys (code hashing, token signing) are created there on first use, so a restart keeps codes and
/// tokens valid. Logs carry no code, secret or token, and phone numbers only masked.
package struct LoginService: Sendable {
    package let config: SwitchboardConfig
    let store: any LoginStore
    private let gateway: Gateway
    private let keys: LoginKeys
    /// The clock; tests move it.
    let now: @Sendable () -> Date

    /// Client and user access tokens live this long (Mosaic: 3600 s).
    package static let tokenLifetime = 3600
    /// Refresh tokens live this long (Mosaic: 14 days).
    package static let refreshLifetime: TimeInterval = 14 * 86_400
    package static let codeKeyName = "otp-code-hmac-key"
    /// The `aud` of a client token asked for without a `resource`: this API (Mosaic's value).
    package static let apiAudience = "userid-api"

    package init(config: SwitchboardConfig, store: any LoginStore, gateway: Gateway, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.store = store
        self.gateway = gateway
        self.now = now
        self.keys = LoginKeys(store: store, issuer: config.server.issuer)
    }

    /// Creates the keys in the store if they are not there yet; the server calls it before serving.
    package func prepare() async throws {
        _ = try await keys.get()
    }

    package func tokenIssuer() async throws -> TokenIssuer {
        try await keys.get().issuer
    }

    // MARK: Clients

    /// `grant_type=client_credentials`: a client access token.
    /// - Throws: ``ClientAuthError/invalidClient`` for an unknown client or a wrong secret;
    ///   ``ClientAuthError/invalidTarget(_:)`` for a `resource` the app does not list.
    package func clientToken(clientID: String, secret: String, resource: String?) async throws -> ClientToken {
        let found = config.client(clientID)
        // Compare even for an unknown client, so timing does not tell which client ids exist.
        let matches = ConstantTimeCompare.equal(secret, found?.client.secret ?? "unknown-client-\(UUID().uuidString)")
        guard let found, matches else { throw ClientAuthError.invalidClient }
        let audience = resource ?? Self.apiAudience
        guard Self.clientTokenAudiences(of: found.app).contains(audience) else {
            throw ClientAuthError.invalidTarget("resource must be one of the app's resources in the configuration")
        }
        let issued = Int(now().timeIntervalSince1970)
        let claims = ClientTokenClaims(
            sub: clientID, iss: config.server.issuer, aud: audience, exp: issued + Self.tokenLifetime,
            iat: issued, nbf: issued, jti: OTPCodes.randomID(), client_id: clientID, app_id: found.app.id, app_name: found.app.name,
            scope: "openid offline_access", token_use: "client"
        )
        return ClientToken(accessToken: try await tokenIssuer().sign(claims), expiresIn: Self.tokenLifetime)
    }

    /// The client a Bearer token was issued to.
    /// - Throws: ``ClientAuthError/invalidToken(_:)``.
    package func authenticateClient(bearer token: String) async throws -> ClientContext {
        let issuer: TokenIssuer
        do { issuer = try await tokenIssuer() } catch { throw ClientAuthError.invalidToken("the signing key is not available") }
        let claims = try await issuer.verifyClientToken(token, now: now())
        guard let found = config.client(claims.client_id), found.app.id == claims.app_id else {
            throw ClientAuthError.invalidToken("the token's client is no longer configured")
        }
        guard Self.clientTokenAudiences(of: found.app).contains(claims.aud) else {
            throw ClientAuthError.invalidToken("the token is for another audience")
        }
        return ClientContext(clientID: claims.client_id, app: found.app)
    }

    /// The `aud` values this server issues client tokens of `app` with, and so accepts on them.
    static func clientTokenAudiences(of app: AppSettings) -> [String] {
        [apiAudience] + app.resources
    }

    // MARK: Users

    /// Creates a user in the app, or adds to it the user with these identifiers that the app may
    /// see (its own, or one of an app it shares users with).
    /// - Returns: The user and whether it was created (`false`: added to the app).
    /// - Throws: ``UserInputError``; ``IdentifierConflictError`` when the identifiers are taken in the
    ///   app, disagree with the user they match, or match two users.
    package func createUser(_ input: NewUserInput, client: ClientContext) async throws -> (LoginUser, created: Bool) {
        var problems: [String] = []
        var phone: String?
        if let given = input.phoneNumber {
            if let number = try? PhoneNumberParser.parse(given), given.hasPrefix("+") {
                phone = number.e164
            } else {
                problems.append("phone_number must be a valid phone number in E.164 format, such as +447700900123")
            }
        }
        let email = input.email?.lowercased()
        if let email, !Self.looksLikeEmail(email) { problems.append("email must be a valid email address") }
        if let username = input.username, username.isEmpty || username.count > 256 {
            problems.append("username must be 1 to 256 characters")
        }
        if input.phoneNumber == nil, email == nil { problems.append("An email or a phone_number are required") }
        guard problems.isEmpty else { throw UserInputError(messages: problems) }
        let at = now()
        let user = LoginUser(
            id: OTPCodes.randomID(), phoneNumber: phone, email: email, username: input.username,
            externalUserID: input.externalUserID, nameJSON: input.nameJSON, customDataJSON: input.customDataJSON,
            createdAt: at, updatedAt: at
        )
        switch try await store.createUser(user, in: client.app.userScope) {
        case .created(let user): return (user, true)
        case .addedToApp(let user): return (user, false)
        case .taken(let field): throw IdentifierConflictError.taken(field: field)
        case .conflict(let field): throw IdentifierConflictError.mismatch(field: field)
        }
    }

    /// The app's user with this phone number, or `nil` (also for a number that is not valid).
    package func user(phoneNumber: String, client: ClientContext) async throws -> LoginUser? {
        guard let number = try? PhoneNumberParser.parse(phoneNumber) else { return nil }
        return try await store.user(.phoneNumber(number.e164), in: client.app.userScope)
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ") && text.count <= 254
    }

    /// Reads `identifier_type` and `identifier` into a store identifier.
    private func identifier(type: String, value: String) throws(LoginError) -> UserIdentifier {
        switch type {
        case "phone_number":
            guard let number = try? PhoneNumberParser.parse(value) else {
                throw .invalidInput("identifier must be a valid phone number in E.164 format when identifier_type is phone_number")
            }
            return .phoneNumber(number.e164)
        case "email": return .email(value.lowercased())
        case "user_id": return .userID(value)
        case "username": return .username(value)
        default:
            throw .invalidInput("identifier_type must be one of phone_number, email, user_id, username")
        }
    }

    // MARK: Send

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
            Task {
                await Self.deliver(request, challenge: challenge, reservation: reservedAt.map { (limitKey.key, $0) }, store: store, gateway: gateway, logger: logger)
            }
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

    // MARK: Authenticate

    /// Checks the code and, when it is right, opens (or continues) a session and issues tokens.
    package func authenticate(_ input: AuthenticateInput, client: ClientContext, logger: Logger) async throws -> TokenSet {
        let app = client.app
        guard !input.passcode.isEmpty else { throw LoginError.invalidInput("passcode must not be empty") }
        let identifier = try identifier(type: input.identifierType, value: input.identifier)
        let user = try await store.user(identifier, in: app.userScope)
        guard user != nil || app.unknownUsers == .conceal else { throw LoginError.userNotFound }
        if let user, user.status != .active { throw LoginError.userNotActive }
        let codeKey = try await keys.get().codeKey
        // In conceal mode an unknown identifier is checked against the challenge its sends stored
        // (see `concealedSend`), so its failures count and lock as a user's do.
        let subject = user?.id ?? UnknownUserID.make(for: identifier, key: codeKey)
        let passcode = input.passcode
        let requestID = input.requestID
        let at = now()
        let refreshToken = OTPCodes.randomID(bytes: 32)
        let refreshRecord = RefreshTokenRecord(
            hash: Self.refreshHash(refreshToken), sessionID: input.sessionID ?? OTPCodes.randomID(), createdAt: at,
            expiresAt: at.addingTimeInterval(Self.refreshLifetime)
        )
        var session = UserSession(id: refreshRecord.sessionID, app: app.id, clientID: client.clientID, userID: subject, authTime: at, createdAt: at)
        // A new session opens in the commit that accepts the code: one wait for the disk, not two.
        let opening = input.sessionID == nil && user != nil ? NewSession(session: session, refreshToken: refreshRecord) : nil
        let outcome = try await store.attempt(
            app: app.id, userID: subject, now: at, policy: LockoutPolicy(maxFailures: app.otp.maxFailures, lockout: app.otp.lockout),
            opening: opening
        ) { challenge in
            // Both checks always run, so the time does not tell which failed.
            let codeMatches = OTPCodes.matches(code: passcode, challengeID: challenge.id, codeHash: challenge.codeHash, key: codeKey)
            let requestMatches = challenge.requestID.map { ConstantTimeCompare.equal($0, requestID ?? "") } ?? true
            return codeMatches && requestMatches
        }
        let challenge: OTPChallenge
        switch outcome {
        case .accepted(let accepted): challenge = accepted
        case .rejected(let failures, let lockedUntil):
            logger.info("wrong OTP", metadata: ["sb.app": "\(app.id)", "sb.user": "\(user?.id ?? "unknown")", "sb.otp.failures": "\(failures)", "sb.otp.locked": "\(lockedUntil != nil)"])
            throw LoginError.invalidCredentials
        case .noChallenge: throw LoginError.invalidCredentials
        case .expired: throw LoginError.passcodeExpired
        case .locked(let until): throw LoginError.locked(retryAfterSeconds: Self.seconds(until.timeIntervalSince(at)))
        }
        // An unknown identifier's stored hash is random bytes, which no code matches.
        guard let user else { throw LoginError.invalidCredentials }
        var verifiedUser = user
        if let sentTo = challenge.sentTo, sentTo == user.phoneNumber, !user.phoneNumberVerified {
            try await store.markPhoneNumberVerified(userID: user.id, at: at)
            verifiedUser.phoneNumberVerified = true
        }
        if let sessionID = input.sessionID {
            guard let existing = try await store.session(id: sessionID), client.sessionOwner.owns(existing), existing.userID == user.id,
                existing.revokedAt == nil
            else {
                throw LoginError.invalidInput("session_id does not name a live session of this user")
            }
            session = existing
            session.authTime = at
            try await store.addRefreshToken(refreshRecord)
        }
        logger.info("OTP login", metadata: ["sb.app": "\(app.id)", "sb.user": "\(user.id)", "sb.session": "\(session.id)"])
        return try await issueTokens(
            user: verifiedUser, session: session, client: client, resource: input.resource,
            approvalData: challenge.approvalDataJSON.flatMap(Self.decodeApprovalData), authTime: at, refreshToken: refreshToken
        )
    }

    /// Signs the access and id tokens. `refreshToken` is stored already: with the session, or as a
    /// rotation's replacement.
    func issueTokens(
        user: LoginUser, session: UserSession, client: ClientContext, resource: String?, approvalData: [String: String]?, authTime: Date,
        refreshToken: String
    ) async throws -> TokenSet {
        let issuer = try await tokenIssuer()
        let iat = Int(now().timeIntervalSince1970)
        let id = IDTokenClaims(
            iss: config.server.issuer, sub: user.id, aud: client.clientID, exp: iat + Self.tokenLifetime, iat: iat,
            auth_time: Int(authTime.timeIntervalSince1970), amr: ["sms"], phone_number: user.phoneNumber,
            phone_number_verified: user.phoneNumberVerified, approval_data: approvalData, app_name: client.app.name, sid: session.id
        )
        let access = AccessTokenClaims(
            sub: user.id, iss: config.server.issuer, aud: resource ?? "userid-api", exp: iat + Self.tokenLifetime, iat: iat,
            jti: OTPCodes.randomID(), client_id: client.clientID, app_id: client.app.id, app_name: client.app.name,
            scope: "openid offline_access", sid: session.id
        )
        return TokenSet(
            accessToken: try await issuer.sign(access), idToken: try await issuer.sign(id), refreshToken: refreshToken,
            expiresIn: Self.tokenLifetime, sessionID: session.id
        )
    }

    // MARK: Helpers

    static func refreshHash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }

    private static func seconds(_ interval: TimeInterval) -> Int {
        max(1, Int(interval.rounded(.up)))
    }

    private static func seconds(_ duration: Duration) -> Int {
        seconds(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    private static func json(_ data: [String: String]?) -> String? {
        guard let data, let encoded = try? JSONEncoder().encode(data) else { return nil }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static func decodeApprovalData(_ text: String) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
