import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// The Mosaic API's OAuth side: client access tokens (`/oidc/token`) and the discovery documents
/// their verifiers read.
struct MosaicTokenController<Context: RemoteAddressRequestContext> {
    let login: LoginService
    let throttle: CredentialThrottle

    func addRoutes(to router: Hummingbird.Router<Context>) {
        router.post("/oidc/token", use: token)
        router.get("/.well-known/openid-configuration", use: openIDConfiguration)
        router.get("/cis/oidc/jwks", use: jwks)
    }

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
                status: status,
                body: ["error": .string(error), "error_description": .string(description)],
                headers: [.cacheControl: "no-store"]
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
        return MosaicJSON.response(
            [
                "access_token": .string(token.accessToken), "token_type": "Bearer", "expires_in": .number(token.expiresIn),
                "scope": "openid offline_access",
            ],
            headers: [.cacheControl: "no-store"]
        )
    }

    func openIDConfiguration(_ request: Request, context: Context) async throws -> Response {
        let issuer = login.config.server.issuer
        return MosaicJSON.response([
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
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
