import Foundation
import SwitchboardCore

/// A fake Vonage SMS API: POST /sms/json, a form or JSON body, the key and secret in the body or as
/// Basic credentials; answers HTTP 200 in every case, with the outcome in `messages[0].status`, as
/// the real one does. Every request is checked before a scripted answer is used; see `WireViolations`.
package final class FakeVonage: Sendable {
    package let apiKey: String
    package let apiSecret: String
    /// Answers to use before the normal ones, for requests that pass the checks.
    package let script = ReplyScript()
    package let violations = WireViolations(fakeName: "FakeVonage")
    package let server: FakeHTTPServer

    package init(apiKey: String = "vonage-key", apiSecret: String = "vonage-secret") async throws {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        let script = self.script
        let violations = self.violations
        server = try await FakeHTTPServer { request in
            if let refusal = Self.refusal(for: request, apiKey: apiKey, apiSecret: apiSecret) {
                violations.record(refusal.violation)
                return refusal.reply
            }
            if let reply = script.next() { return reply }
            let to = Self.fields(of: request)?("to") ?? ""
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

    /// The body's fields by name, for the two body formats Vonage takes; nil for any other.
    static func fields(of request: FakeHTTPServer.Request) -> ((String) -> String?)? {
        let contentType = request.header("Content-Type") ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") { return { request.formField($0) } }
        if contentType.hasPrefix("application/json"), let json = request.json { return { json[$0] as? String } }
        return nil
    }

    /// Whether every character of `text` is in the GSM 03.38 alphabet (basic or extension table).
    static func isGSM7(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { GSM7Alphabet.septets(for: $0) != nil }
    }

    static func refusal(for request: FakeHTTPServer.Request, apiKey: String, apiSecret: String) -> (violation: String, reply: FakeHTTPServer.Reply)? {
        func refuse(_ code: String, _ text: String) -> (String, FakeHTTPServer.Reply) { ("status \(code): \(text)", status(code, text)) }
        guard request.method == "POST", request.path == "/sms/json" else {
            return ("\(request.method) \(request.path) is not POST /sms/json", .json(404, #"{"type":"https://developer.nexmo.com/api-errors#not-found","title":"Not Found"}"#))
        }
        guard let field = fields(of: request) else {
            return refuse("2", "Content-Type \(request.header("Content-Type") ?? "none") is neither a form nor JSON")
        }
        let basic = "Basic " + Data("\(apiKey):\(apiSecret)".utf8).base64EncodedString()
        guard (field("api_key") == apiKey && field("api_secret") == apiSecret) || request.header("Authorization") == basic else {
            return refuse("4", "Bad Credentials")
        }
        guard let to = field("to"), !to.isEmpty, to.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return refuse("3", "Invalid to: \(field("to") ?? "missing") (digits only, no +)")
        }
        guard let from = field("from"), !from.isEmpty else { return refuse("2", "Missing from param") }
        guard let text = field("text"), !text.isEmpty else { return refuse("2", "Missing text param") }
        // Vonage sends GSM-7 unless told `type=unicode`: without it a non-GSM text arrives garbled,
        // and with it a GSM text costs UCS-2 segments for nothing.
        let type = field("type")
        if isGSM7(text) {
            guard type != "unicode" else { return refuse("3", "type=unicode for a text that is all GSM-7") }
        } else {
            guard type == "unicode" else { return refuse("3", "Missing type=unicode for a text that is not GSM-7") }
        }
        return nil
    }
}
