import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// The Mosaic-compatible OTP login API (`reference/mosaic-api.md`): an app written against
/// Mosaic's backend API works against these routes by changing only its base URL.
struct MosaicController<Context: RemoteAddressRequestContext> {
    let login: LoginService
    let throttle: CredentialThrottle

    func addRoutes(to router: Hummingbird.Router<Context>) {
        router.post("/oidc/token", use: token)
        router.get("/.well-known/openid-configuration", use: openIDConfiguration)
        router.get("/cis/oidc/jwks", use: jwks)
        let api = router.group("/cis/v1")
        api.post("users", use: createUser)
        api.get("users/phone-number/:phone", use: userByPhone)
        api.post("auth/otp/send", use: sendOTP)
        api.post("auth/otp/authenticate", use: authenticate)
        api.post("auth/token/refresh", use: refresh)
        api.post("auth/session/logout", use: logout)
    }

    // MARK: Tokens and discovery

    struct TokenForm: Decodable {
        var grant_type: String?
        var client_id: String?
        var client_secret: String?
        var resource: String?
    }

    func token(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        let text = String(buffer: body)
        let oauthError = { (status: HTTPResponse.Status, error: String, description: String) in
            MosaicError(
                status: status, body: ["error": .string(error), "error_description": .string(description)], headers: [.cacheControl: "no-store"]
            )
        }
        guard let form = try? URLEncodedFormDecoder().decode(TokenForm.self, from: text) else {
            throw oauthError(.badRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
        }
        guard let grant = form.grant_type else { throw oauthError(.badRequest, "invalid_request", "grant_type is required") }
        guard grant == "client_credentials" else {
            throw oauthError(.badRequest, "unsupported_grant_type", "only grant_type=client_credentials is supported")
        }
        var clientID = form.client_id
        var secret = form.client_secret
        // RFC 6749 §2.3.1 also allows HTTP Basic for the client credentials.
        if clientID == nil, let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.firstIndex(of: ":")
        {
            clientID = String(decoded[..<colon]).removingPercentEncoding
            secret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        guard let clientID, let secret else {
            throw oauthError(.unauthorized, "invalid_client", "client_id and client_secret are required")
        }
        let sources = context.throttleSources + [CredentialThrottle.Source.client(clientID)]
        if let wait = throttle.retryAfter(sources) {
            let seconds = wait.retryAfterSeconds
            var error = oauthError(.tooManyRequests, "too_many_requests", "too many failed client authentications; retry after \(seconds) seconds")
            error.headers[.retryAfter] = String(seconds)
            throw error
        }
        let token: ClientToken
        do {
            token = try await login.clientToken(clientID: clientID, secret: secret, resource: form.resource)
        } catch ClientAuthError.invalidClient {
            throttle.recordFailure(sources, logger: context.logger)
            context.logger.info("client authentication failed", metadata: ["sb.client": "\(clientID)"])
            var error = oauthError(.unauthorized, "invalid_client", "client authentication failed")
            error.headers[.wwwAuthenticate] = "Basic realm=\"switchboard\""
            throw error
        } catch ClientAuthError.invalidTarget(let description) {
            // RFC 8707 §2: a resource the server will not issue a token for.
            throw oauthError(.badRequest, "invalid_target", description)
        }
        return try Self.json(
            [
                "access_token": .string(token.accessToken), "token_type": "Bearer", "expires_in": .number(token.expiresIn),
                "scope": "openid offline_access",
            ],
            headers: [.cacheControl: "no-store"]
        )
    }

    func openIDConfiguration(_ request: Request, context: Context) async throws -> Response {
        let issuer = login.config.server.issuer
        return try Self.json([
            "issuer": .string(issuer),
            "jwks_uri": "\(issuer)/cis/oidc/jwks",
            "token_endpoint": "\(issuer)/oidc/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["id_token"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "amr", "phone_number", "phone_number_verified", "approval_data"],
        ])
    }

    func jwks(_ request: Request, context: Context) async throws -> Response {
        let document = try await login.tokenIssuer().jwks
        let encoder = JSONEncoder()
        // Sorted, so the document is byte-for-byte the same every time (caches, ETags, tests).
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    // MARK: Users

    func createUser(_ request: Request, context: Context) async throws -> Response {
        let client = try await authorized(request)
        let object = try await Self.jsonObject(
            request, invalid: { MosaicError(status: .badRequest, body: ["message": [.string($0)], "error_code": 400]) }
        )
        var problems: [String] = []
        func string(_ key: String) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard case .string(let text) = value else {
                problems.append("\(key) must be a string")
                return nil
            }
            return text
        }
        func objectText(_ key: String) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard case .object = value else {
                problems.append("\(key) must be an object")
                return nil
            }
            return String(decoding: MosaicJSON.bytes(value), as: UTF8.self)
        }
        let input = NewUserInput(
            phoneNumber: string("phone_number"), email: string("email"), username: string("username"),
            externalUserID: string("external_user_id"), nameJSON: objectText("name"), customDataJSON: objectText("custom_data")
        )
        guard problems.isEmpty else {
            throw MosaicError(status: .badRequest, body: ["message": .array(problems.map(JSON.string)), "error_code": 400])
        }
        do {
            let (user, _) = try await login.createUser(input, client: client)
            return try Self.json(["result": .object(Self.userObject(user, app: client.app))], status: .created)
        } catch let error as UserInputError {
            throw MosaicError(status: .badRequest, body: ["message": .array(error.messages.map(JSON.string)), "error_code": 400])
        } catch let error as IdentifierConflictError {
            throw error.mosaicError
        }
    }

    func userByPhone(_ request: Request, context: Context) async throws -> Response {
        let client = try await authorized(request)
        let phone = try context.parameters.require("phone")
        guard let user = try await login.user(phoneNumber: phone.removingPercentEncoding ?? phone, client: client) else {
            throw MosaicError(status: .notFound, body: ["message": "User not found", "error_code": 404])
        }
        return try Self.json(["result": .object(Self.userObject(user, app: client.app))])
    }

    /// Mosaic's `ApiUser`: dates are milliseconds since 1970.
    static func userObject(_ user: LoginUser, app: AppSettings) -> JSONObject {
        func millis(_ date: Date) -> JSON { .number(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
        var object: JSONObject = [
            "user_id": .string(user.id), "status": .string(user.status.rawValue), "created_at": millis(user.createdAt),
            "updated_at": millis(user.updatedAt), "app_name": .string(app.name),
        ]
        if let phone = user.phoneNumber {
            var value: JSONObject = ["value": .string(phone), "phone_number_verified": .bool(user.phoneNumberVerified)]
            if let at = user.phoneNumberVerifiedAt { value["verified_at"] = millis(at) }
            object["phone_number"] = .object(value)
        }
        if let email = user.email { object["email"] = ["value": .string(email), "email_verified": false] }
        if let username = user.username { object["username"] = .string(username) }
        if let external = user.externalUserID { object["external_user_id"] = .string(external) }
        for (key, text) in [("name", user.nameJSON), ("custom_data", user.customDataJSON)] {
            if let text, let value = try? JSONReader.parse(text) { object[key] = value }
        }
        return object
    }

    // MARK: OTP

    struct SendBody: Decodable {
        struct CustomSMSInput: Decodable {
            var custom_message: String?
            var sender_id: String?
        }

        var channel: String
        var identifier_type: String
        var identifier: String
        var custom_sms_input: CustomSMSInput?
        var custom_phone_number: String?
        var expires_in: Int?
        var approval_data: [String: String]?
        var generate_request_id: Bool?
    }

    func sendOTP(_ request: Request, context: Context) async throws -> Response {
        let client = try await authorized(request)
        let body = try await Self.decode(SendBody.self, request)
        let input = SendOTPInput(
            channel: body.channel, identifierType: body.identifier_type, identifier: body.identifier,
            customMessage: body.custom_sms_input?.custom_message, senderID: body.custom_sms_input?.sender_id,
            customPhoneNumber: body.custom_phone_number, expiresInMinutes: body.expires_in, approvalData: body.approval_data,
            generateRequestID: body.generate_request_id ?? false
        )
        let result: SendOTPResult
        do {
            result = try await login.sendOTP(input, client: client, logger: context.logger)
        } catch let error as LoginError {
            throw error.mosaicError
        }
        var answer: JSONObject = ["message": "OTP sent"]
        if let code = result.code { answer["code"] = .string(code) }
        if let requestID = result.requestID { answer["request_id"] = .string(requestID) }
        if let approval = result.approvalData { answer["approval_data"] = .object(JSONObject(approval.map { ($0.key, .string($0.value)) })) }
        return try Self.json(answer)
    }

    struct AuthenticateBody: Decodable {
        var passcode: String
        var identifier_type: String
        var identifier: String
        var request_id: String?
        var session_id: String?
        var resource: String?
    }

    func authenticate(_ request: Request, context: Context) async throws -> Response {
        let client = try await authorized(request)
        let body = try await Self.decode(AuthenticateBody.self, request)
        let input = AuthenticateInput(
            passcode: body.passcode, identifierType: body.identifier_type, identifier: body.identifier,
            requestID: body.request_id, sessionID: body.session_id, resource: body.resource
        )
        do {
            let tokens = try await login.authenticate(input, client: client, logger: context.logger)
            return try Self.json(Self.tokenObject(tokens, includeSession: true), headers: [.cacheControl: "no-store"])
        } catch let error as LoginError {
            throw error.mosaicError
        }
    }

    struct RefreshBody: Decodable { var refresh_token: String }

    func refresh(_ request: Request, context: Context) async throws -> Response {
        let client = try await authorized(request)
        let body = try await Self.decode(RefreshBody.self, request)
        do {
            let tokens = try await login.refresh(token: body.refresh_token, client: client, logger: context.logger)
            return try Self.json(Self.tokenObject(tokens, includeSession: false), headers: [.cacheControl: "no-store"])
        } catch let error as LoginError {
            throw error.mosaicError
        }
    }

    struct LogoutBody: Decodable { var session_id: String }

    func logout(_ request: Request, context: Context) async throws -> Response {
        let client = try await authorized(request)
        let body = try await Self.decode(LogoutBody.self, request)
        do {
            try await login.logout(sessionID: body.session_id, client: client, logger: context.logger)
            return Response(status: .noContent)
        } catch let error as LoginError {
            throw error.mosaicError
        }
    }

    static func tokenObject(_ tokens: TokenSet, includeSession: Bool) -> JSONObject {
        var object: JSONObject = [
            "access_token": .string(tokens.accessToken), "id_token": .string(tokens.idToken), "refresh_token": .string(tokens.refreshToken),
            "token_type": "Bearer", "expires_in": .number(tokens.expiresIn),
        ]
        if includeSession { object["session_id"] = .string(tokens.sessionID) }
        return object
    }

    // MARK: Helpers

    /// The client of the request's Bearer token.
    ///
    /// A wrong token is not counted by the credential throttle: tokens are signed, so guessing one
    /// is hopeless, while every worker of a busy backend presenting its expired token at once would
    /// otherwise get the backend's address refused.
    /// - Throws: A 401 with `WWW-Authenticate` when there is no valid client token.
    func authorized(_ request: Request) async throws -> ClientContext {
        guard let credential = request.bearerCredential else {
            throw MosaicError(
                status: .unauthorized, body: ["error_code": "unauthorized", "message": "Authorization: Bearer <client access token> is required"],
                headers: [.wwwAuthenticate: "Bearer realm=\"switchboard\""]
            )
        }
        let token = String(decoding: credential, as: UTF8.self)
        do {
            return try await login.authenticateClient(bearer: token)
        } catch ClientAuthError.invalidToken(let reason) {
            throw MosaicError.unauthorized(reason)
        }
    }

    static func jsonObject(_ request: Request, invalid: (String) -> MosaicError) async throws -> JSONObject {
        try await readBody(request, invalid: invalid).object
    }

    /// Decodes a JSON body; a missing or mistyped field is Mosaic's 400 `system_invalid_input` naming it.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let (object, buffer) = try await readBody(request) { .auth(.badRequest, "system_invalid_input", $0) }
        if let fast = T.self as? any JSONFastDecodable.Type, let value = (try? fast.init(fastPath: object)) as? T {
            return value
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            let message: String
            switch error {
            case .keyNotFound(let key, _): message = "\(key.stringValue) is required"
            case .typeMismatch(_, let context), .valueNotFound(_, let context):
                message = "\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
            case .dataCorrupted: message = "the body must be a JSON object"
            @unknown default: message = "the body is not valid"
            }
            throw MosaicError.auth(.badRequest, "system_invalid_input", message)
        }
    }

    /// The body through the one JSON body reader; a wrong media type or an oversized body get
    /// their own statuses, anything else unreadable is `invalid`'s 400.
    private static func readBody(_ request: Request, invalid: (String) -> MosaicError) async throws -> (object: JSONObject, bytes: ByteBuffer) {
        do {
            return try await JSONRequestBody.object(of: request)
        } catch let refusal as JSONRequestBody.Refusal {
            switch refusal {
            case .unsupportedMediaType: throw MosaicError.auth(.unsupportedMediaType, "unsupported_media_type", refusal.message)
            case .tooLarge: throw MosaicError.auth(.contentTooLarge, "body_too_large", refusal.message)
            case .notAnObject, .repeatedName: throw invalid(refusal.message)
            }
        }
    }

    static func json(_ object: JSONObject, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: MosaicJSON.bytes(.object(object)))))
    }
}
