import Hummingbird
import SwitchboardJSON
import SwitchboardOTP

/// The Mosaic API's sessions: refreshing a login's tokens and ending it.
struct MosaicSessionsController<Parent: ClientTokenRequestContext> {
    typealias Context = MosaicClientRequestContext<Parent>
    let login: LoginService

    func addRoutes(to api: RouterGroup<Context>) {
        api.post("auth/token/refresh", use: refresh)
        api.post("auth/session/logout", use: logout)
    }

    struct RefreshBody: Decodable { var refresh_token: String }

    func refresh(_ request: Request, context: Context) async throws -> Response {
        let client = context.client
        let body = try await MosaicRequestBody.decode(RefreshBody.self, from: request)
        do {
            let tokens = try await login.refresh(token: body.refresh_token, client: client, logger: context.logger)
            return MosaicJSON.response(Self.tokenObject(tokens, includeSession: false), headers: [.cacheControl: "no-store"])
        } catch let error as LoginError {
            throw error.mosaicError
        }
    }

    struct LogoutBody: Decodable { var session_id: String }

    func logout(_ request: Request, context: Context) async throws -> Response {
        let client = context.client
        let body = try await MosaicRequestBody.decode(LogoutBody.self, from: request)
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
}
