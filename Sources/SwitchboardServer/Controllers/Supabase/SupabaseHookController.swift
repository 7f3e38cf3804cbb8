import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// Supabase Auth's "Send SMS" hook (`POST /hooks/supabase/{app}/send-sms`): Supabase makes the
/// code and checks it; Switchboard sends it as the app's OTP message through the gateway, with the
/// app's routes, countries and per-number send limits.
///
/// The call must carry a Standard Webhooks signature under one of the app's `supabase_hook`
/// secrets, with a timestamp within five minutes, and an id not seen before; anything else is
/// refused before the body is read further and nothing is sent. Answers follow the hook contract:
/// `200 {}`, or an error status with `{"error": {"http_code", "message"}}`, which Supabase shows.
struct SupabaseHookController<Context: RequestContext>: Sendable {
    let login: LoginService
    let apps: [AppSettings]
    let clock: any SwitchboardClock
    let replays: WebhookReplayGuard

    func addRoutes(to router: Hummingbird.Router<Context>) {
        router.post("/hooks/supabase/:app/send-sms", use: sendSMS)
    }

    @Sendable func sendSMS(_ request: Request, context: Context) async throws -> Response {
        let appID = context.parameters.get("app") ?? ""
        guard let app = apps.first(where: { $0.id == appID }), let hook = app.supabaseHook else {
            throw Self.error(.notFound, "not_found", "no app '\(appID)' takes Supabase's Send SMS hook; give the app supabase_hook in the configuration")
        }
        let (object, bytes): (JSONObject, ByteBuffer)
        do {
            (object, bytes) = try await JSONRequestBody.object(of: request)
        } catch let refusal as JSONRequestBody.Refusal {
            var error = refusal.apiError
            error.details["http_code"] = Int(error.status.code)
            throw error
        }
        let headers = request.headers
        let now = clock.date
        do throws(StandardWebhookSignature.Refusal) {
            try StandardWebhookSignature.verify(
                id: headers[webhookID], timestamp: headers[webhookTimestamp], signature: headers[webhookSignature],
                body: Array(bytes.readableBytesView), secrets: hook.secrets, now: now
            )
        } catch {
            context.logger.warning("Supabase hook call refused", metadata: ["sb.app": "\(app.id)", "sb.reason": "\(error)"])
            throw Self.error(.unauthorized, "invalid_signature", error.description)
        }
        let id = headers[webhookID] ?? ""
        guard replays.admit("\(app.id) \(id)", at: now) else {
            context.logger.warning("Supabase hook call replayed", metadata: ["sb.app": "\(app.id)"])
            throw Self.error(.unauthorized, "replayed", "webhook-id \(id) was already used; each call needs an id of its own")
        }
        let payload: SupabaseSendSMSHook
        do {
            payload = try JSONRequestBody.decode(SupabaseSendSMSHook.self, object: object, bytes: bytes)
        } catch let problem as JSONRequestBody.FieldProblem {
            throw Self.error(.badRequest, "invalid_field", problem.message)
        }
        guard (4...10).contains(payload.sms.otp.count), payload.sms.otp.allSatisfy(\.isASCIIDigit) else {
            throw Self.error(.badRequest, "invalid_field", "field 'sms.otp' must be a code of 4 to 10 digits")
        }
        guard let number = payload.destination else {
            throw Self.error(.badRequest, "invalid_field", "neither 'sms.phone' nor 'user.phone' gives a number to send to")
        }
        let destination: PhoneNumber
        do {
            destination = try PhoneNumberParser.parse(number)
        } catch {
            throw Self.error(.badRequest, "invalid_phone_number", "the number to send to is not valid: \(error)")
        }
        do {
            let sent = try await login.sendHookCode(payload.sms.otp, to: destination, app: app, logger: context.logger)
            context.logger.info("Supabase hook code sent", metadata: ["sb.app": "\(app.id)", "sb.message.id": "\(sent.messageID)"])
        } catch let error as LoginError {
            throw Self.error(for: error)
        } catch let unavailable as StoreUnavailable {
            let seconds = unavailable.retryAfter.retryAfterSeconds
            var answer = Self.error(.serviceUnavailable, "storage_unavailable", "the server's database cannot be reached; retry after \(seconds) seconds")
            answer.headers[.retryAfter] = String(seconds)
            throw answer
        }
        var answer = Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        answer.headers[.cacheControl] = "no-store"
        return answer
    }

    private static func error(for error: LoginError) -> APIError {
        switch error {
        case .tooManySends(let seconds):
            return Self.retryLater(seconds, "too_many_sends", "this number was sent codes too often; retry after \(seconds) seconds")
        case .overBudget(let seconds, let scope):
            return Self.retryLater(seconds, "send_budget_exceeded", "the app's send budget for \(scope) is spent; retry after \(seconds) seconds")
        case .prefixBlocked(let prefix, let seconds):
            return Self.retryLater(seconds, "prefix_blocked", "numbers under \(prefix) are blocked for now: too many asked for codes; retry after \(seconds) seconds")
        case .refused(let refusal): return Self.error(.badRequest, refusal.code, refusal.message)
        case .deliveryFailed: return Self.error(.badGateway, "sms_delivery_failed", "no provider accepted the message")
        case .invalidInput(let message): return Self.error(.badRequest, "invalid_input", message)
        default: return Self.error(.internalServerError, "internal_error", "the code could not be sent")
        }
    }

    private static func retryLater(_ seconds: Int, _ code: String, _ message: String) -> APIError {
        var answer = Self.error(.tooManyRequests, code, message)
        answer.headers[.retryAfter] = String(seconds)
        return answer
    }

    /// Our error body, with the `http_code` the hook contract asks for.
    private static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> APIError {
        APIError(status: status, code: code, message: message, details: ["http_code": Int(status.code)])
    }
}

private let webhookID = HTTPField.Name("webhook-id")!
private let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
private let webhookSignature = HTTPField.Name("webhook-signature")!
