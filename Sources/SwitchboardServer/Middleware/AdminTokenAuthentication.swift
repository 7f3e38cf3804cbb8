package import Hummingbird

/// Admits requests that carry one of `admin.tokens` as `Authorization: Bearer TOKEN`: the one check
/// of every admin endpoint (and of anything else only operators may read).
///
/// The tokens are read at each request from the configuration in force, so a reload rotates them.
/// Without tokens the admin API is off and answers 404. An API key is never an admin token (the
/// configuration refuses one in `admin.tokens`), and `X-API-Key` is not read. Wrong tokens count
/// against the address in the same credential throttle as wrong API keys.
package struct AdminTokenAuthentication<Context: RemoteAddressRequestContext>: RouterMiddleware {
    /// The tokens in force now; `nil` when the admin API is off.
    let tokens: @Sendable () -> APIKeys?

    init(tokens: @escaping @Sendable () -> APIKeys?) {
        self.tokens = tokens
    }

    /// Checks against the tokens of the configuration `configuration` holds at each request.
    package init(configuration: ConfigurationReloader) {
        self.tokens = { configuration.current.adminTokens }
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let tokens = tokens() else {
            throw APIError(
                status: .notFound, code: "admin_disabled",
                message: "the admin API is off: add admin.tokens to the configuration (README, \"Admin API\") and reload"
            )
        }
        switch tokens.check(request.bearerCredential, context: context) {
        case .valid:
            return try await next(request, context)
        case .missing:
            throw APIError.unauthorized("this endpoint needs an admin token: send `Authorization: Bearer TOKEN` with a token from admin.tokens")
        case .wrong:
            throw APIError.unauthorized("the admin token is not valid (an API key is not an admin token); use a token from admin.tokens")
        case .refused(let wait):
            throw APIError.tooManyFailedCredentials(retryAfter: wait)
        }
    }
}
