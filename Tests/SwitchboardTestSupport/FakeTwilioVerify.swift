import Foundation

/// A fake Twilio Verify v2 service that checks what the real one checks: the service path, Basic
/// credentials, a form body with an E.164 `To`, `Channel=sms` and only parameters of the official
/// document; it sends (keeps) a six-digit code per number and checks it as Twilio does: `pending`
/// for a wrong code, `approved` once, 20404 when there is no pending verification, 60202 after
/// five wrong codes. Every request is checked before a scripted answer is used; see `WireViolations`.
package final class FakeTwilioVerify: Sendable {
    package let accountSID: String
    package let authToken: String
    package let serviceSID: String
    /// Answers to use for starts and checks before the normal ones, for requests that pass the checks.
    package let startScript = ReplyScript()
    package let checkScript = ReplyScript()
    package let violations = WireViolations(fakeName: "FakeTwilioVerify")
    package let server: FakeHTTPServer
    private let pending = Locked<[String: (code: String, wrong: Int)]>([:])
    /// Form parameters the fake accepts, as the official document lists them.
    package static let startParameters: Set<String> = [
        "To", "Channel", "CustomFriendlyName", "CustomMessage", "SendDigits", "Locale", "CustomCode", "Amount", "Payee", "RateLimits",
        "ChannelConfiguration", "AppHash", "TemplateSid", "TemplateCustomSubstitutions", "DeviceIp", "EnableSnaClientToken", "RiskCheck", "Tags",
    ]
    package static let checkParameters: Set<String> = ["Code", "To", "VerificationSid", "Amount", "Payee", "SnaClientToken"]

    package init(
        accountSID: String = "AC" + String(repeating: "0123456789abcdef", count: 2), authToken: String = "twilio-secret-token",
        serviceSID: String = "VA" + String(repeating: "fedcba9876543210", count: 2)
    ) async throws {
        self.accountSID = accountSID
        self.authToken = authToken
        self.serviceSID = serviceSID
        let (startScript, checkScript, violations, pending) = (self.startScript, self.checkScript, self.violations, self.pending)
        let base = "/v2/Services/\(serviceSID)"
        server = try await FakeHTTPServer { request in
            func refuse(_ status: Int, _ code: Int, _ message: String) -> FakeHTTPServer.Reply {
                violations.record("\(code) \(message)")
                return FakeTwilio.error(status, code, message)
            }
            let expected = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
            guard request.method == "POST", [base + "/Verifications", base + "/VerificationCheck"].contains(request.path) else {
                return refuse(404, 20404, "The requested resource \(request.method) \(request.path) was not found")
            }
            guard request.header("Authorization") == expected else { return refuse(401, 20003, "Authenticate") }
            guard request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true else {
                return refuse(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
            }
            let isStart = request.path.hasSuffix("/Verifications")
            let allowed = isStart ? Self.startParameters : Self.checkParameters
            if let unknown = request.formFields.first(where: { !allowed.contains($0.0) }) {
                return refuse(400, 60200, "Invalid parameter: \(unknown.0)")
            }
            guard let to = request.formField("To"), FakeTwilio.isE164(to) else { return refuse(400, 60200, "Invalid parameter: To") }
            if isStart {
                guard request.formField("Channel") == "sms" else { return refuse(400, 60200, "Invalid parameter: Channel") }
                if let reply = startScript.next() { return reply }
                let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
                pending.withLock { $0[to] = (code, 0) }
                let sid = "VE" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                return .json(201, #"{"sid": "\#(sid)", "service_sid": "\#(serviceSID)", "account_sid": "\#(accountSID)", "to": "\#(to)", "channel": "sms", "status": "pending", "valid": false}"#)
            }
            guard let code = request.formField("Code"), !code.isEmpty else { return refuse(400, 60200, "Invalid parameter: Code") }
            if let reply = checkScript.next() { return reply }
            let status: String? = pending.withLock { pending in
                guard var entry = pending[to] else { return nil }
                if entry.code == code {
                    pending[to] = nil
                    return "approved"
                }
                entry.wrong += 1
                if entry.wrong >= 5 {
                    pending[to] = nil
                    return "max"
                }
                pending[to] = entry
                return "pending"
            }
            guard let status else { return FakeTwilio.error(404, 20404, "The requested resource was not found") }
            if status == "max" { return FakeTwilio.error(429, 60202, "Max check attempts reached") }
            return .json(200, #"{"sid": "VE0", "service_sid": "\#(serviceSID)", "to": "\#(to)", "channel": "sms", "status": "\#(status)", "valid": \#(status == "approved")}"#)
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }

    /// The code Twilio sent to `number` and still waits for, if any.
    package func code(sentTo number: String) -> String? {
        pending.withLock { $0[number]?.code }
    }
}
