/// Why an OTP login call failed, in Mosaic's terms. The server maps each to its status and body.
package enum LoginError: Error, Sendable, Equatable {
    /// 400 `system_invalid_input`; the message names the field.
    case invalidInput(String)
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
    /// 502 `sms_delivery_failed`: no provider accepted the message; no usable code is left.
    case deliveryFailed
    /// 400 `invalid_refresh_token`: unknown, expired, rotated or revoked.
    case invalidRefreshToken
    /// 404 `session_not_found`.
    case sessionNotFound
}

/// Why a client could not be authenticated.
package enum ClientAuthError: Error, Sendable, Equatable {
    /// Unknown client or wrong secret.
    case invalidClient
    /// A Bearer token that is missing, malformed, badly signed, expired, of another issuer, or not a client token.
    case invalidToken(String)
}
