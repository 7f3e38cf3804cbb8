import Foundation

/// A fake gateway speaking Mosaic's custom SMS gateway contract: POST JSON `{phone_number,
/// sender_id, message}` with `X-API-Key`, answered 200; GET answers the verification challenge.
package final class FakeMosaicGateway: Sendable {
    package let apiKey: String
    package let script = ReplyScript()
    package let server: FakeHTTPServer

    package init(apiKey: String = "gateway-key-0123456789") async throws {
        self.apiKey = apiKey
        let script = self.script
        server = try await FakeHTTPServer { request in
            guard request.header("X-API-Key") == apiKey else { return .text(400, "Invalid request", contentType: "text/plain") }
            if request.method == "GET" {
                let key = request.header("X-Verification-Key") ?? ""
                return .json(200, #"{"key":"\#(key)"}"#)
            }
            if let reply = script.next() { return reply }
            guard request.method == "POST", request.header("Content-Type")?.hasPrefix("application/json") == true, let body = request.json,
                body["phone_number"] is String, body["message"] is String
            else {
                return .text(400, "Invalid request", contentType: "text/plain")
            }
            return .respond(status: 200)
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }
    /// The endpoint URL to configure as `base_url`.
    package var endpoint: String { server.baseURL + "/send-sms" }
}
