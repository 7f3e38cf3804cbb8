package import SwitchboardCore

/// Why an OTP login call failed, in Mosaic's terms. The server maps each to its status and body.
package enum LoginError: Error, Sendable, Equatable {
    /// 400 `system_invalid_input`; the message names the field.
    case invalidInput(String)
    /// 400 with the refusal's own code: the app's abuse rules refuse this send.
    case refused(SendRefusal)
    /// 404 `user_not_found`.
    case userNotFound
    /// 404 `user_phone_number_missing`.
    case phoneNumberMissing
    /// 403 `user_not_active`.
    case userNotActive
    /// 400 `auth_invalid_credentials`: wrong or no code.
    case invalidCredentials
    /// 400 `auth_otp_passcode_expired`.
    case passcodeExpired
    /// 403 `auth_locked`, with how long the lock lasts.
    case locked(retryAfterSeconds: Int)
    /// 429, with `Retry-After`.
    case tooManySends(retryAfterSeconds: Int)
    /// 429 `send_budget_exceeded`, with `Retry-After`: the app's budget for the country (`scope`,
    /// an ISO code) or for all countries (`total`) is spent until its window ends.
    case overBudget(retryAfterSeconds: Int, scope: String)
    /// 429 `prefix_blocked`, with `Retry-After`: too many distinct numbers under the destination's
    /// prefix (`+4477009`) asked for codes; the prefix is blocked until an operator clears it or the block ends.
    case prefixBlocked(prefix: String, retryAfterSeconds: Int)
    /// 429 `conversion_slowdown`, with `Retry-After`: few codes sent to the destination's country
    /// or prefix (`scope`: `NG`, `+2347010`) were verified, so its sends are held to a low rate.
    case conversionSlowdown(scope: String, retryAfterSeconds: Int)
    /// 502 `sms_delivery_failed`: no provider accepted the message; no usable code is left.
    case deliveryFailed
    /// 503 `otp_check_unavailable`: the verify provider that sent the code could not be asked
    /// about it; nothing was counted or used up, so the same code may be tried again.
    case codeCheckUnavailable
    /// 400 `invalid_refresh_token`: unknown, expired, rotated or revoked.
    case invalidRefreshToken
    /// 404 `session_not_found`: no such session, or one another client opened.
    case sessionNotFound
}

/// Why a client could not be authenticated.
package enum ClientAuthError: Error, Sendable, Equatable {
    /// Unknown client or wrong secret.
    case invalidClient
    /// A Bearer token that is missing, malformed, badly signed, outside its validity, of another
    /// issuer or audience, or not a client token.
    case invalidToken(String)
    /// A `resource` the client's app does not list in its `resources`.
    case invalidTarget(String)
}

/// `POST /cis/v1/users` input problems: Mosaic's 400 lists every message.
package struct UserInputError: Error, Sendable, Equatable {
    package var messages: [String]
}

/// A create that would reuse or merge identifiers: Mosaic's 409, naming the field.
package enum IdentifierConflictError: Error, Sendable, Equatable {
    /// The identifier belongs to a member of the app already.
    case taken(field: String)
    /// The identifiers match an existing user but this one disagrees with it, or they match two users.
    case mismatch(field: String)
}

extension LoginError {
    /// A gateway refusal in login terms: no provider took it is `deliveryFailed`; anything about
    /// the request itself (country, sender, template) is the caller's input.
    package init(_ error: SendError) {
        if case .deliveryFailed = error {
            self = .deliveryFailed
        } else {
            self = .invalidInput("\(error)")
        }
    }
}
