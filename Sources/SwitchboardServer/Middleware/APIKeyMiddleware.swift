import HTTPTypes
import Hummingbird
import SwitchboardCore

/// Admits requests that carry one of the configured API keys, as `Authorization: Bearer KEY` or
/// `X-API-Key: KEY`; an address that keeps presenting wrong keys is refused for a while.
struct APIKeyMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let keys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch keys.check(Self.presentedKey(in: request), context: context) {
        case .valid:
            return try await next(request, context)
        case .missing:
            throw APIError.unauthorized("this endpoint needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY` with a key from server.api_keys")
        case .wrong:
            throw APIError.unauthorized("the API key is not valid; use a key from server.api_keys in the configuration")
        case .refused(let wait):
            throw APIError.tooManyFailedCredentials(retryAfter: wait)
        }
    }

    /// The key's bytes, blanks around it trimmed.
    static func presentedKey(in request: Request) -> [UInt8]? {
        if let credential = request.bearerCredential {
            return Array(credential)
        }
        if let header = request.headers[.apiKey] {
            return Array(header.utf8.trimmingASCIIBlanks())
        }
        return nil
    }
}

/// The configured API keys (as bytes converted once rather than per request) behind the credential
/// throttle: the one key check of the gateway API and the Mosaic custom gateway.
struct APIKeys: Sendable {
    /// What a presented key earns.
    enum Verdict {
        case valid
        case missing
        /// Counted against the request's address.
        case wrong
        /// The address presented wrong keys too often; it may try again after this.
        case refused(retryAfter: Duration)
    }

    private let keys: [[UInt8]]
    private let throttle: CredentialThrottle

    init(_ keys: [APIKey], throttle: CredentialThrottle) {
        self.keys = keys.map { Array($0.key.utf8) }
        self.throttle = throttle
    }

    /// Checks `presented`, unless the request's address is refused for now; a wrong key counts
    /// against the address (a missing one is no guess, so it does not).
    func check(_ presented: (some Collection<UInt8>)?, context: some RemoteAddressRequestContext) -> Verdict {
        let sources = context.throttleSources
        if let wait = throttle.retryAfter(sources) { return .refused(retryAfter: wait) }
        guard let presented else { return .missing }
        guard contains(presented) else {
            throttle.recordFailure(sources, logger: context.logger)
            return .wrong
        }
        return .valid
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

extension HTTPField.Name {
    /// `X-API-Key`, the other way to present an API key.
    static let apiKey = HTTPField.Name("X-API-Key")!
}
