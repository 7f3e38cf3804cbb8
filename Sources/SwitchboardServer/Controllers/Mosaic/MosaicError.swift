import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// An error answer of the Mosaic-compatible routes, in Mosaic's own shapes (not the gateway's
/// `{"error":{...}}`): `{"error_code": "...", "message": "..."}` for the auth API,
/// `{"message": [...], "error_code": 400}` and friends for the users API, and OAuth's
/// `{"error": "...", "error_description": "..."}` for `/oidc/token`.
struct MosaicError: HTTPResponseError {
    let status: HTTPResponse.Status
    let body: JSONObject
    var headers: HTTPFields = [:]

    /// `{"error_code": code, "message": message}`.
    static func auth(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> MosaicError {
        MosaicError(status: status, body: ["error_code": .string(code), "message": .string(message)])
    }

    /// A 401 for a request without a client token.
    static let missingClientToken = MosaicError(
        status: .unauthorized, body: ["error_code": "unauthorized", "message": "Authorization: Bearer <client access token> is required"],
        headers: [.wwwAuthenticate: "Bearer realm=\"switchboard\""]
    )

    /// A 401 for a bad client token, with the challenge RFC 6750 asks for.
    static func unauthorized(_ description: String) -> MosaicError {
        let quoted = description.replacingOccurrences(of: "\"", with: "'")
        return MosaicError(
            status: .unauthorized, body: ["error_code": "unauthorized", "message": .string(description)],
            headers: [.wwwAuthenticate: "Bearer realm=\"switchboard\", error=\"invalid_token\", error_description=\"\(quoted)\""]
        )
    }

    /// A 429 for an address or client refused for presenting wrong credentials too often.
    static func tooManyFailedCredentials(retryAfter wait: Duration) -> MosaicError {
        let seconds = wait.retryAfterSeconds
        return MosaicError(
            status: .tooManyRequests,
            body: ["error_code": "too_many_requests", "message": .string("Too many failed credentials; retry after \(seconds) seconds")],
            headers: [.retryAfter: String(seconds)]
        )
    }

    /// A 503 with `Retry-After` while the database cannot be reached.
    static func storeUnavailable(_ unavailable: StoreUnavailable) -> MosaicError {
        let seconds = unavailable.retryAfter.retryAfterSeconds
        return MosaicError(
            status: .serviceUnavailable,
            body: ["error_code": "storage_unavailable", "message": .string("The server's database cannot be reached; retry after \(seconds) seconds")],
            headers: [.retryAfter: String(seconds)]
        )
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        MosaicJSON.response(body, status: status, headers: headers)
    }
}

extension LoginError {
    /// The Mosaic answer for this error.
    var mosaicError: MosaicError {
        switch self {
        case .invalidInput(let message): .auth(.badRequest, "system_invalid_input", message)
        case .refused(let refusal): .auth(.badRequest, refusal.code, refusal.message)
        case .userNotFound: .auth(.notFound, "user_not_found", "User not found")
        case .phoneNumberMissing: .auth(.notFound, "user_phone_number_missing", "The user has no phone number")
        case .userNotActive: .auth(.forbidden, "user_not_active", "The user is not active")
        case .invalidCredentials: .auth(.badRequest, "auth_invalid_credentials", "Invalid credentials")
        case .passcodeExpired: .auth(.badRequest, "auth_otp_passcode_expired", "The passcode has expired")
        case .locked(let seconds):
            MosaicError(
                status: .forbidden, body: ["error_code": "auth_locked", "message": "One time code invalid due to multiple failed attempts"],
                headers: [.retryAfter: "\(seconds)"]
            )
        case .tooManySends(let seconds):
            MosaicError(
                status: .tooManyRequests,
                body: ["error_code": "too_many_requests", "message": "Too many passcodes sent to this number; retry after \(seconds) seconds"],
                headers: [.retryAfter: "\(seconds)"]
            )
        case .overBudget(let seconds, let scope):
            MosaicError(
                status: .tooManyRequests,
                body: [
                    "error_code": "send_budget_exceeded",
                    "message": .string(
                        scope == "total"
                            ? "This app has sent all the passcodes its budget allows for now; retry after \(seconds) seconds"
                            : "This app has sent all the passcodes its budget allows to \(scope) for now; retry after \(seconds) seconds"
                    ),
                ],
                headers: [.retryAfter: "\(seconds)"]
            )
        case .prefixBlocked(let prefix, let seconds):
            MosaicError(
                status: .tooManyRequests,
                body: [
                    "error_code": "prefix_blocked",
                    "message": .string(
                        "Passcodes to numbers starting \(prefix) are paused after unusual traffic; retry after \(seconds) seconds"
                    ),
                ],
                headers: [.retryAfter: "\(seconds)"]
            )
        case .conversionSlowdown(let scope, let seconds):
            MosaicError(
                status: .tooManyRequests,
                body: [
                    "error_code": "conversion_slowdown",
                    "message": .string(
                        "Passcodes to \(scope.hasPrefix("+") ? "numbers starting \(scope)" : scope) are slowed: few recent ones were used; retry after \(seconds) seconds"
                    ),
                ],
                headers: [.retryAfter: "\(seconds)"]
            )
        case .deliveryFailed: .auth(.badGateway, "sms_delivery_failed", "The SMS could not be delivered by any provider")
        case .codeCheckUnavailable:
            .auth(
                .serviceUnavailable, "otp_check_unavailable",
                "The provider that sent the passcode could not check it; nothing was used up, try the same passcode again"
            )
        case .invalidRefreshToken: .auth(.badRequest, "invalid_refresh_token", "The refresh token is not valid")
        case .sessionNotFound: .auth(.notFound, "session_not_found", "Session not found")
        }
    }
}

extension IdentifierConflictError {
    /// Mosaic's 409 `IdentifierIsTakenHttpError`: `{"message", "error_code": 409, "ts_error_code"}`.
    var mosaicError: MosaicError {
        let (message, code): (String, String) =
            switch self {
            case .taken(let field): ("\(field) is already taken by a user of this app", "identifier_taken")
            case .mismatch(let field): ("\(field) conflicts with the existing user that the other identifiers name", "identifier_conflict")
            }
        return MosaicError(status: .conflict, body: ["message": .string(message), "error_code": 409, "ts_error_code": .string(code)])
    }
}
