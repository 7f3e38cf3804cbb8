import Foundation
import Logging
import SwitchboardCore

extension LoginService {
    /// Notes the send under its number's prefix (`otp.velocity`); refuses it while the prefix is
    /// blocked, and blocks it when this number is one too many.
    /// - Throws: ``LoginError/prefixBlocked(prefix:retryAfterSeconds:)``; the send that blocks a
    ///   prefix is logged, the ones refused after it only counted.
    func checkVelocity(_ destination: PhoneNumber, app: AppSettings, at: Date, logger: Logger) async throws {
        guard let rule = app.otp.velocity else { return }
        let prefix = rule.prefix(of: destination)
        let check = try await store.notePrefixSend(app: app.id, prefix: prefix, number: destination.e164, now: at, rule: rule)
        guard case .blocked(let until, let newly, let numbers) = check else { return }
        observer?.loginEvent(.abuseRefused(.blockedPrefix), app: app.id, country: destination.region)
        let seconds = Int(until.duration(since: at).retryAfterSeconds)
        if newly {
            logger.warning(
                "number prefix blocked: too many distinct numbers under it; GET /admin/blocked-prefixes lists it, DELETE clears it",
                metadata: [
                    "sb.app": "\(app.id)", "sb.prefix": "+\(prefix)", "sb.numbers": "\(numbers)", "sb.country": "\(destination.region)",
                    "sb.retry_after": "\(seconds)",
                ]
            )
        }
        throw LoginError.prefixBlocked(prefix: "+\(prefix)", retryAfterSeconds: seconds)
    }
}
