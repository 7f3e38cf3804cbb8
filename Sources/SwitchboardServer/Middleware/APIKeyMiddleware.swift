import HTTPTypes
import Hummingbird
import SwitchboardCore

/// Admits requests that carry one of the configured API keys, as `Authorization: Bearer KEY` or `X-API-Key: KEY`.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The configured keys' bytes, converted once rather than per request.
    private let keys: [[UInt8]]

    init(keys: [APIKey]) {
        self.keys = keys.map { Array($0.key.utf8) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = Self.presentedKey(in: request) else {
            throw APIError.unauthorized("this endpoint needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY` with a key from server.api_keys")
        }
        // Compare with every key, in constant time, so timing reveals neither which key nor how much matched.
        var matched = false
        for key in keys where ConstantTime.equal(presented, key) {
            matched = true
        }
        guard matched else {
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

/// Byte comparison whose time depends only on the lengths.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}

