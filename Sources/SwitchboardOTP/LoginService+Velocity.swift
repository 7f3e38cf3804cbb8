import Foundation
import Logging
import SwitchboardCore

extension LoginService {
    /// Notes the send under its number's prefix (`otp.velocity`); refuses it while the prefix is
    /// blocked, and blocks it when this number is one too many.
    /// - Throws: ``LoginError/prefixBlocked(prefix:retryAfterSeconds:)`` (see ``prefixBlocked(app:prefix:country:until:newly:numbers:at:logger:)``).
    func checkVelocity(_ destination: PhoneNumber, app: AppSettings, at: Date, logger: Logger) async throws {
        guard let note = prefixNote(destination, app: app) else { return }
        let check = try await store.notePrefixSend(app: note.app, prefix: note.prefix, number: note.number, now: at, rule: note.rule)
        guard case .blocked(let until, let newly, let numbers) = check else { return }
        throw prefixBlocked(
            app: note.app, prefix: note.prefix, country: destination.region, until: until, newly: newly, numbers: numbers, at: at, logger: logger
        )
    }

    /// What a send to `destination` notes under its prefix, or `nil` when the app's rule is off.
    func prefixNote(_ destination: PhoneNumber, app: AppSettings) -> PrefixNote? {
        guard let rule = app.otp.velocity else { return nil }
        return PrefixNote(app: app.id, prefix: rule.prefix(of: destination), number: destination.e164, rule: rule)
    }

    /// The refusal of a send whose prefix is blocked, counted; the send that blocked the prefix is
    /// logged, the ones refused after it only counted.
    func prefixBlocked(
        app: String, prefix: String, country: String, until: Date, newly: Bool, numbers: Int, at: Date, logger: Logger
    ) -> LoginError {
        observer?.loginEvent(.abuseRefused(.blockedPrefix), app: app, country: country)
        let seconds = Int(until.duration(since: at).retryAfterSeconds)
        if newly {
            logger.warning(
                "number prefix blocked: too many distinct numbers under it; GET /admin/blocked-prefixes lists it, DELETE clears it",
                metadata: [
                    "sb.app": "\(app)", "sb.prefix": "+\(prefix)", "sb.numbers": "\(numbers)", "sb.country": "\(country)",
                    "sb.retry_after": "\(seconds)",
                ]
            )
        }
        return LoginError.prefixBlocked(prefix: "+\(prefix)", retryAfterSeconds: seconds)
    }
}
