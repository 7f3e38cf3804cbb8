import Foundation

/// A fake Vonage SMS API: POST /sms/json with the key and secret in the form; answers HTTP 200 in
/// every case, with the outcome in `messages[0].status`, as the real one does.
package final class FakeVonage: Sendable {
    package let apiKey: String
    package let apiSecret: String
    package let script = ReplyScript()
    package let server: FakeHTTPServer

    package init(apiKey: String = "vonage-key", apiSecret: String = "vonage-secret") async throws {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        let script = self.script
        server = try await FakeHTTPServer { request in
            if let reply = script.next() { return reply }
            guard request.method == "POST", request.path == "/sms/json" else { return .json(404, "{}") }
            guard request.formField("api_key") == apiKey, request.formField("api_secret") == apiSecret else {
                return Self.status("4", "Bad Credentials")
            }
            guard let to = request.formField("to"), to.allSatisfy(\.isNumber), !to.isEmpty, request.formField("from") != nil,
                request.formField("text")?.isEmpty == false
            else {
                return Self.status("2", "Missing to, from or text")
            }
            return .json(
                200,
                #"{"message-count":"1","messages":[{"to":"\#(to)","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14159265","message-price":"0.03330000","network":"12345"}]}"#
            )
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }

    /// A failure answer, still HTTP 200.
    package static func status(_ status: String, _ text: String) -> FakeHTTPServer.Reply {
        .json(200, #"{"message-count":"1","messages":[{"status":"\#(status)","error-text":"\#(text)"}]}"#)
    }
}
