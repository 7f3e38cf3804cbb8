import Foundation
import Synchronization

/// A fake Twilio Messages API that checks what the real one checks: the account path, Basic
/// credentials, a form body with `To`, one of `From`/`MessagingServiceSid`, and `Body`.
package final class FakeTwilio: Sendable {
    package let accountSID: String
    package let authToken: String
    /// Answers to use before the normal ones.
    package let script = ReplyScript()
    package let server: FakeHTTPServer

    package init(accountSID: String = "AC" + String(repeating: "0123456789abcdef", count: 2), authToken: String = "twilio-secret-token") async throws {
        self.accountSID = accountSID
        self.authToken = authToken
        let script = self.script
        server = try await FakeHTTPServer { request in
            if let reply = script.next() { return reply }
            return Self.answer(request, accountSID: accountSID, authToken: authToken)
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }

    static func error(_ status: Int, _ code: Int, _ message: String) -> FakeHTTPServer.Reply {
        .json(status, #"{"code": \#(code), "message": "\#(message)", "more_info": "https://www.twilio.com/docs/errors/\#(code)", "status": \#(status)}"#)
    }

    static func answer(_ request: FakeHTTPServer.Request, accountSID: String, authToken: String) -> FakeHTTPServer.Reply {
        guard request.method == "POST", request.path == "/2010-04-01/Accounts/\(accountSID)/Messages.json" else {
            return error(404, 20404, "The requested resource was not found")
        }
        let expected = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        guard request.header("Authorization") == expected else { return error(401, 20003, "Authenticate") }
        guard request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return error(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
        }
        guard let to = request.formField("To"), to.hasPrefix("+") else { return error(400, 21604, "A 'To' phone number is required.") }
        let from = request.formField("From")
        let service = request.formField("MessagingServiceSid")
        guard from != nil || service != nil else { return error(400, 21603, "A 'From' phone number is required.") }
        guard let body = request.formField("Body"), !body.isEmpty else { return error(400, 21602, "Message body is required.") }
        let sid = "SM" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let escapedBody = String(decoding: (try? JSONSerialization.data(withJSONObject: [body], options: [.fragmentsAllowed])) ?? Data(), as: UTF8.self).dropFirst().dropLast()
        return .json(
            201,
            #"{"sid": "\#(sid)", "account_sid": "\#(accountSID)", "to": "\#(to)", "from": "\#(from ?? "")", "body": \#(escapedBody), "status": "queued", "num_segments": "1", "error_code": null, "error_message": null}"#
        )
    }
}
