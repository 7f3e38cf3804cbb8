import Hummingbird
import SwitchboardCore
import SwitchboardOTP

/// Admits Mosaic API requests that carry a valid client access token as `Authorization: Bearer`,
/// and puts its client on the context; answers a database out of reach in Mosaic's shape.
///
/// A wrong token is not counted by the credential throttle: tokens are signed, so guessing one is
/// hopeless, while every worker of a busy backend presenting its expired token at once would
/// otherwise get the backend's address refused.
struct ClientTokenMiddleware<Context: ClientTokenRequestContext>: RouterMiddleware {
    let login: LoginService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let credential = request.bearerCredential else { throw MosaicError.missingClientToken }
        var context = context
        do {
            context.authenticatedClient = try await login.authenticateClient(bearer: String(decoding: credential, as: UTF8.self))
        } catch ClientAuthError.invalidToken(let reason) {
            throw MosaicError.unauthorized(reason)
        }
        do {
            return try await next(request, context)
        } catch let unavailable as StoreUnavailable {
            throw MosaicError.storeUnavailable(unavailable)
        }
    }
}
