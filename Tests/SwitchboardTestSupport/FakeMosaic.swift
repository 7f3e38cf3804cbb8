import Foundation

/// A fake of Mosaic's backend SMS OTP API that checks what the real one checks: client credentials
/// at `POST /oidc/token` (form), a Bearer token it issued on every `/cis` call, users that must
/// exist before `otp/send`, the send body (`channel: sms`, `identifier_type: phone_number`,
/// `custom_sms_input` within Mosaic's limits) and the authenticate body. It keeps the code and
/// the SMS it sent per number and checks codes as Mosaic does: `auth_invalid_credentials`,
/// `auth_locked` after three wrong codes, `auth_otp_passcode_expired` once `expire` is called.
/// Every request is checked before a scripted answer is used; see `WireViolations`.
package final class FakeMosaic: Sendable {
    package let clientID: String
    package let clientSecret: String
    package let appName: String
    package let sendScript = ReplyScript()
    package let checkScript = ReplyScript()
    package let violations = WireViolations(fakeName: "FakeMosaic")
    package let server: FakeHTTPServer

    private struct State {
        var tokens: [String] = []
        var users: Set<String> = []
        var codes: [String: (code: String, wrong: Int, expired: Bool)] = [:]
        var texts: [String: String] = [:]
    }

    private let state = Locked(State())

    package init(clientID: String = "mosaic-client", clientSecret: String = "mosaic-secret-0123", appName: String = "Acme") async throws {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.appName = appName
        let (sendScript, checkScript, violations, state) = (self.sendScript, self.checkScript, self.violations, self.state)
        server = try await FakeHTTPServer { request in
            func refuse(_ status: Int, _ code: String, _ message: String) -> FakeHTTPServer.Reply {
                violations.record("\(status) \(code): \(message)")
                return .json(status, #"{"error_code": "\#(code)", "message": "\#(message)"}"#)
            }
            guard request.method == "POST" else { return refuse(404, "not_found", "\(request.method) \(request.path)") }
            if request.path == "/oidc/token" {
                guard request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true,
                    request.formField("grant_type") == "client_credentials", request.formField("client_id") == clientID,
                    request.formField("client_secret") == clientSecret
                else { return refuse(401, "invalid_client", "client credentials refused") }
                let token = "mosaic-token-" + UUID().uuidString
                state.withLock { $0.tokens.append(token) }
                return .json(200, #"{"access_token": "\#(token)", "token_type": "Bearer", "expires_in": 3600}"#)
            }
            let bearer = request.header("Authorization").map { String($0.dropFirst("Bearer ".count)) } ?? ""
            guard state.withLock({ $0.tokens.contains(bearer) }) else { return refuse(401, "unauthorized", "no valid client token") }
            guard request.header("Content-Type")?.hasPrefix("application/json") == true, let body = request.json else {
                return refuse(400, "system_invalid_input", "the body is not JSON")
            }
            switch request.path {
            case "/cis/v1/users":
                guard let phone = body["phone_number"] as? String, FakeTwilio.isE164(phone) else {
                    return refuse(400, "system_invalid_input", "phone_number must be E.164")
                }
                let created = state.withLock { $0.users.insert(phone).inserted }
                return created
                    ? .json(201, #"{"result": {"user_id": "u-\#(phone.dropFirst())", "status": "Active", "created_at": 0, "updated_at": 0}}"#)
                    : .json(409, #"{"message": "phone_number is already taken", "error_code": 409, "ts_error_code": "identifier_taken"}"#)
            case "/cis/v1/auth/otp/send":
                guard body["channel"] as? String == "sms", body["identifier_type"] as? String == "phone_number",
                    let number = body["identifier"] as? String
                else { return refuse(400, "system_invalid_input", "channel sms, identifier_type phone_number and identifier are required") }
                var message = "{otp} is your {app} code"
                if let custom = body["custom_sms_input"] {
                    guard let custom = custom as? [String: Any] else { return refuse(400, "system_invalid_input", "custom_sms_input must be an object") }
                    if let text = custom["custom_message"] {
                        guard let text = text as? String, text.count <= 140, text.contains("{otp}"), text.contains("{app}") else {
                            return refuse(400, "system_invalid_input", "custom_message must hold {otp} and {app} in at most 140 characters")
                        }
                        message = text
                    }
                    if let sender = custom["sender_id"], (sender as? String)?.count ?? 99 > 11 {
                        return refuse(400, "system_invalid_input", "sender_id must be at most 11 characters")
                    }
                }
                if let reply = sendScript.next() { return reply }
                guard state.withLock({ $0.users.contains(number) }) else { return .json(404, #"{"error_code": "user_not_found", "message": "User not found"}"#) }
                let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
                let text = message.replacingOccurrences(of: "{otp}", with: code).replacingOccurrences(of: "{app}", with: appName)
                state.withLock {
                    $0.codes[number] = (code, 0, false)
                    $0.texts[number] = text
                }
                return .json(200, #"{"message": "OTP sent"}"#)
            case "/cis/v1/auth/otp/authenticate":
                guard let passcode = body["passcode"] as? String, body["identifier_type"] as? String == "phone_number",
                    let number = body["identifier"] as? String
                else { return refuse(400, "system_invalid_input", "passcode, identifier_type phone_number and identifier are required") }
                if let reply = checkScript.next() { return reply }
                let verdict: String = state.withLock { state in
                    guard var entry = state.codes[number] else { return "auth_invalid_credentials" }
                    if entry.expired { return "auth_otp_passcode_expired" }
                    if entry.code == passcode {
                        state.codes[number] = nil
                        return "ok"
                    }
                    entry.wrong += 1
                    state.codes[number] = entry.wrong >= 3 ? nil : entry
                    return entry.wrong >= 3 ? "auth_locked" : "auth_invalid_credentials"
                }
                switch verdict {
                case "ok":
                    return .json(200, #"{"access_token": "at", "id_token": "it", "refresh_token": "rt", "token_type": "Bearer", "expires_in": 3600, "session_id": "s"}"#)
                case "auth_locked": return .json(403, #"{"error_code": "auth_locked", "message": "One time code invalid due to multiple failed attempts"}"#)
                default: return .json(400, #"{"error_code": "\#(verdict)", "message": "refused"}"#)
                }
            default:
                return refuse(404, "not_found", "POST \(request.path)")
            }
        }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }
    /// How many tokens `/oidc/token` issued.
    package var tokensIssued: Int { state.withLock { $0.tokens.count } }

    /// The code Mosaic sent to `number` and still accepts, if any.
    package func code(sentTo number: String) -> String? {
        state.withLock { $0.codes[number]?.code }
    }

    /// The SMS Mosaic sent to `number` last.
    package func text(sentTo number: String) -> String? {
        state.withLock { $0.texts[number] }
    }

    /// Makes the code sent to `number` expired, as time would.
    package func expire(_ number: String) {
        state.withLock { $0.codes[number]?.expired = true }
    }
}
