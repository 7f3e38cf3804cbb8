import Foundation
import Hummingbird
import SwitchboardCore

/// An error answer of the API: `{"error": {"code": ..., "message": ..., ...details}}` with its status.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    /// Extra facts for the caller, such as the attempts of a failed delivery.
    var details: [String: any Sendable & Encodable] = [:]
    var headers: HTTPFields = [:]

    static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// A 429 for an address or client refused for presenting wrong credentials too often.
    static func tooManyFailedCredentials(retryAfter wait: Duration) -> APIError {
        let seconds = wait.retryAfterSeconds
        return APIError(
            status: .tooManyRequests, code: "too_many_requests",
            message: "too many failed credentials from this address; retry after \(seconds) seconds",
            headers: [.retryAfter: String(seconds)]
        )
    }

    /// A 503 while the database cannot be reached.
    static func storeUnavailable(retryAfter wait: Duration) -> APIError {
        let seconds = wait.retryAfterSeconds
        return APIError(
            status: .serviceUnavailable, code: "storage_unavailable",
            message: "the server's database cannot be reached; retry after \(seconds) seconds",
            headers: [.retryAfter: String(seconds)]
        )
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: Body.Detail(code: code, message: message, details: details))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try encoder.encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var details: [String: any Sendable & Encodable]

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: DynamicKey.self)
                try container.encode(code, forKey: DynamicKey("code"))
                try container.encode(message, forKey: DynamicKey("message"))
                for (key, value) in details {
                    try container.encode(value, forKey: DynamicKey(key))
                }
            }
        }

        var error: Detail
    }

    private struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
