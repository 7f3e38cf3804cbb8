import Foundation
import Synchronization

/// A fake Twilio Messages API that checks what the real one checks: the account path, Basic
/// credentials, a form body with an E.164 `To`, exactly one of `From`/`MessagingServiceSid`, and
/// `Body`. Every request is checked before a scripted answer is used; see `WireViolations`.
package final class FakeTwilio: Sendable {
    package let accountSID: String
    package let authToken: String
    /// Answers to use before the normal ones, for requests that pass the checks.
    package let script = ReplyScript()
    package let violations = WireViolations(fakeName: "FakeTwilio")
    package let server: FakeHTTPServer

    package init(accountSID: String = "AC" + String(repeating: "0123456789abcdef", count: 2), authToken: String = "twilio-secret-token") async throws {
        self.accountSID = accountSID
        self.authToken = authToken
        let script = self.script
        let violations = self.violations
        server = try await FakeHTTPServer { request in
            if let refusal = Self.refusal(for: request, accountSID: accountSID, authToken: authToken) {
                violations.record(refusal.violation)
                return refusal.reply
            }
            return script.next() ?? Self.accepted(request, accountSID: accountSID)
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }

    static func error(_ status: Int, _ code: Int, _ message: String) -> FakeHTTPServer.Reply {
        .json(status, #"{"code": \#(code), "message": "\#(message)", "more_info": "https://www.twilio.com/docs/errors/\#(code)", "status": \#(status)}"#)
    }

    /// `+`, then 8 to 15 digits, the first not 0.
    package static func isE164(_ number: String) -> Bool {
        let digits = number.dropFirst()
        return number.first == "+" && (8...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
            && digits.first != "0"
    }

    static func refusal(for request: FakeHTTPServer.Request, accountSID: String, authToken: String) -> (violation: String, reply: FakeHTTPServer.Reply)? {
        func refuse(_ status: Int, _ code: Int, _ message: String) -> (String, FakeHTTPServer.Reply) {
            ("\(code) \(message)", error(status, code, message))
        }
        guard request.method == "POST", request.path == "/2010-04-01/Accounts/\(accountSID)/Messages.json" else {
            return refuse(404, 20404, "The requested resource \(request.method) \(request.path) was not found")
        }
        let expected = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        guard request.header("Authorization") == expected else { return refuse(401, 20003, "Authenticate") }
        guard request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return refuse(400, 20001, "Content-Type must be application/x-www-form-urlencoded, not \(request.header("Content-Type") ?? "none")")
        }
        guard let to = request.formField("To") else { return refuse(400, 21604, "A 'To' phone number is required.") }
        guard isE164(to) else { return refuse(400, 21211, "The 'To' number \(to) is not a valid phone number.") }
        switch (request.formField("From"), request.formField("MessagingServiceSid")) {
        case (nil, nil): return refuse(400, 21603, "A 'From' phone number is required.")
        case (.some, .some): return refuse(400, 21603, "Send either 'From' or 'MessagingServiceSid', not both.")
        default: break
        }
        guard let body = request.formField("Body"), !body.isEmpty else { return refuse(400, 21602, "Message body is required.") }
        return nil
    }

    static func accepted(_ request: FakeHTTPServer.Request, accountSID: String) -> FakeHTTPServer.Reply {
        let to = request.formField("To") ?? ""
        let from = request.formField("From")
        let body = request.formField("Body") ?? ""
        let sid = "SM" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let escapedBody = String(decoding: (try? JSONSerialization.data(withJSONObject: [body], options: [.fragmentsAllowed])) ?? Data(), as: UTF8.self).dropFirst().dropLast()
        return .json(
            201,
            #"{"sid": "\#(sid)", "account_sid": "\#(accountSID)", "to": "\#(to)", "from": "\#(from ?? "")", "body": \#(escapedBody), "status": "queued", "num_segments": "1", "error_code": null, "error_message": null}"#
        )
    }
}
