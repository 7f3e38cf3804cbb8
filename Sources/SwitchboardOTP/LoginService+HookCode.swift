import Foundation
package import Logging
package import SwitchboardCore

extension LoginService {
    /// Sends a code that another login server made and will check itself (Supabase Auth's Send SMS
    /// hook) as the app's OTP message. The app's countries and its per-number send limits apply as
    /// to its own codes; no challenge is stored, since the caller checks the code.
    /// - Throws: ``LoginError``: `invalidInput`, `tooManySends`, `deliveryFailed`.
    package func sendHookCode(_ code: String, to destination: PhoneNumber, app: AppSettings, logger: Logger) async throws -> SendResult {
        try checkCountry(destination, app: app)
        let at = clock.date
        let limit = Self.sendLimitKey(app: app, to: destination.e164)
        let reservedAt: Date
        switch try await store.reserveSend(key: limit.key, now: at, limits: limit.limits) {
        case .reserved(let at): reservedAt = at
        case .retryAfter(let wait):
            logger.info("hook OTP send refused by the send limits", metadata: ["sb.app": "\(app.id)", "sb.to": "\(PhoneMask.mask(destination.e164))"])
            observer?.loginEvent(.sendRefused, app: app.id, country: destination.region)
            throw LoginError.tooManySends(retryAfterSeconds: Int(wait.retryAfterSeconds))
        }
        let request = SendRequest(
            to: destination.e164, app: app.id, kind: .otp,
            content: .template(otp: code, minutes: app.otp.expiresInMinutes, template: nil)
        )
        do {
            let sent = try await gateway.send(request, logger: logger)
            observer?.loginEvent(.sent, app: app.id, country: sent.country)
            return sent
        } catch {
            do {
                try await store.cancelSend(key: limit.key, at: reservedAt)
            } catch {
                logger.error("could not uncount a failed hook OTP send", metadata: ["sb.app": "\(app.id)"])
            }
            if let error = error as? SendError { throw LoginError(error) }
            throw error
        }
    }
}
