import HTTPTypes
import Hummingbird
import SwitchboardCore

/// Admits requests that carry one of the configured API keys, as `Authorization: Bearer KEY` or
/// `X-API-Key: KEY`; an address that keeps presenting wrong keys is refused for a while.
struct APIKeyMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let keys: APIKeys
    let throttle: CredentialThrottle

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let sources = context.throttleSources
        if let wait = throttle.retryAfter(sources) {
            throw APIError.tooManyFailedCredentials(retryAfter: wait)
        }
        guard let presented = Self.presentedKey(in: request) else {
            throw APIError.unauthorized("this endpoint needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY` with a key from server.api_keys")
        }
        guard keys.contains(presented) else {
            throttle.recordFailure(sources, logger: context.logger)
            throw APIError.unauthorized("the API key is not valid; use a key from server.api_keys in the configuration")
        }
        return try await next(request, context)
    }

    /// The key's bytes, blanks around it trimmed.
    static func presentedKey(in request: Request) -> [UInt8]? {
        if let credential = request.bearerCredential {
            return Array(credential)
        }
        if let name = HTTPField.Name("X-API-Key"), let header = request.headers[name] {
            return Array(header.utf8.trimmingASCIIBlanks())
        }
        return nil
    }
}

/// The configured API keys, as bytes converted once rather than per request.
struct APIKeys: Sendable {
    private let keys: [[UInt8]]

    init(_ keys: [APIKey]) {
        self.keys = keys.map { Array($0.key.utf8) }
    }

    /// Whether `presented` is one of the keys. It is compared with every key, in constant time, so
    /// timing reveals neither which key nor how much matched.
    func contains(_ presented: some Collection<UInt8>) -> Bool {
        let presented = Array(presented)
        var matched = false
        for key in keys where ConstantTime.equal(presented, key) {
            matched = true
        }
        return matched
    }
}
