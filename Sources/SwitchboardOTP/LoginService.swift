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
    let gateway: Gateway
    let keys: LoginKeys
    /// The deliveries conceal mode runs after answering; the server drains them as a service.
    package let deferredDeliveries = DeferredDeliveries()
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
    func identifier(type: String, value: String) throws(LoginError) -> UserIdentifier {
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

    static func seconds(_ interval: TimeInterval) -> Int {
        max(1, Int(interval.rounded(.up)))
    }

    static func seconds(_ duration: Duration) -> Int {
        seconds(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    static func json(_ data: [String: String]?) -> String? {
        guard let data, let encoded = try? JSONEncoder().encode(data) else { return nil }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static func decodeApprovalData(_ text: String) -> [String: String]? {
        try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
