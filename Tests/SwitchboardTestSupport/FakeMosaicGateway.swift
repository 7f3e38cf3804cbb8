import Foundation

/// A fake gateway speaking Mosaic's custom SMS gateway contract at one URL (`endpoint`): POST JSON
/// `{phone_number, sender_id, message}` with `X-API-Key`, answered 200; GET with the same key answers
/// the verification challenge. Every request is checked before a scripted answer is used; see
/// `WireViolations`.
package final class FakeMosaicGateway: Sendable {
    package static let path = "/send-sms"
    package let apiKey: String
    /// Answers to use for sends before the normal ones, for requests that pass the checks.
    package let script = ReplyScript()
    package let violations = WireViolations(fakeName: "FakeMosaicGateway")
    package let server: FakeHTTPServer

    package init(apiKey: String = "gateway-key-0123456789") async throws {
        self.apiKey = apiKey
        let script = self.script
        let violations = self.violations
        server = try await FakeHTTPServer { request in
            if let violation = Self.violation(in: request, apiKey: apiKey) {
                violations.record(violation)
                return .text(400, "Invalid request: \(violation)", contentType: "text/plain")
            }
            if request.method == "GET" {
                return .json(200, #"{"key":"\#(request.header("X-Verification-Key") ?? "")"}"#)
            }
            return script.next() ?? .respond(status: 200)
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }
    /// The endpoint URL to configure as `base_url`.
    package var endpoint: String { server.baseURL + Self.path }

    static func violation(in request: FakeHTTPServer.Request, apiKey: String) -> String? {
        guard request.path == path else { return "\(request.method) \(request.path) is not the gateway's endpoint \(path)" }
        guard request.header("X-API-Key") == apiKey else { return "X-API-Key is \(request.header("X-API-Key") ?? "missing"), not the registered key" }
        switch request.method {
        case "GET":
            guard request.header("X-Verification-Key")?.isEmpty == false else { return "a GET without X-Verification-Key" }
            return nil
        case "POST":
            guard request.header("Content-Type")?.hasPrefix("application/json") == true else {
                return "Content-Type is \(request.header("Content-Type") ?? "missing"), not application/json"
            }
            guard let body = request.json else { return "the body is not a JSON object" }
            for field in ["phone_number", "sender_id", "message"] where body[field] as? String == nil {
                return "the body has no string \(field)"
            }
            return nil
        default:
            return "method \(request.method) is neither POST nor GET"
        }
    }
}
