import Foundation
package import Logging
package import SwitchboardCore

extension LoginService {
    /// Sends a code that another login server made and will check itself (Supabase Auth's Send SMS
    /// hook) as the app's OTP message. The app's abuse rules hold as for its own codes: countries,
    /// number types, prefix velocity, budgets and the number's send limits; no challenge is stored,
    /// since the caller checks the code.
    /// - Throws: ``LoginError``: `invalidInput`, `refused`, `prefixBlocked`, `overBudget`,
    ///   `tooManySends`, `deliveryFailed`.
    package func sendHookCode(_ code: String, to destination: PhoneNumber, app: AppSettings, logger: Logger) async throws -> SendResult {
        try checkDestination(destination, field: "the number", sender: nil, app: app)
        let at = clock.date
        try await checkVelocity(destination, app: app, at: at, logger: logger)
        let budget = app.otp.budgets.counters(app: app.id, country: destination.region)
        try await spendBudget(budget, at: at, app: app.id, country: destination.region, logger: logger)
        let limits = Self.sendLimitKeys(app: app, to: destination.e164, user: destination.e164, customNumber: false, address: nil)
        var reserved: [(key: String, at: Date)] = []
        do {
            for limit in limits {
                switch try await store.reserveSend(key: limit.key, now: at, limits: limit.limits) {
                case .reserved(let reservedAt): reserved.append((limit.key, reservedAt))
                case .retryAfter(let wait):
                    logger.info("hook OTP send refused by the send limits", metadata: ["sb.app": "\(app.id)", "sb.to": "\(PhoneMask.mask(destination.e164))"])
                    observer?.loginEvent(.sendRefused, app: app.id, country: destination.region)
                    throw LoginError.tooManySends(retryAfterSeconds: Int(wait.retryAfterSeconds))
                }
            }
            let request = SendRequest(
                to: destination.e164, app: app.id, kind: .otp, content: .template(otp: code, minutes: app.otp.expiresInMinutes, template: nil)
            )
            let sent = try await gateway.send(request, logger: logger)
            observer?.loginEvent(.sent, app: app.id, country: sent.country)
            return sent
        } catch {
            await refundBudget(budget, at: at, app: app.id, logger: logger)
            for reservation in reserved {
                do {
                    try await store.cancelSend(key: reservation.key, at: reservation.at)
                } catch {
                    logger.error("could not uncount a failed hook OTP send", metadata: ["sb.app": "\(app.id)"])
                }
            }
            if let error = error as? SendError { throw LoginError(error) }
            throw error
        }
    }
}
