import Foundation
import Logging
import SwitchboardCore

extension LoginService {
    /// Counts a code about to be sent under its country and prefix (`otp.conversion`). While
    /// either is slowed, counts it now, held to the rule's rate per minute; otherwise leaves the
    /// count to the issue step (``SendAbuseCounters/conversion``), which makes it only when it
    /// issues the code.
    /// - Returns: What to take back when the code is not sent after all; `nil` when the rule is off.
    /// - Throws: ``LoginError/conversionSlowdown(scope:retryAfterSeconds:)``; refusals are counted,
    ///   the slowdown itself is logged once, when it begins.
    func countConversionSend(_ destination: PhoneNumber, app: AppSettings, at: Date, logger: Logger) async throws -> ConversionCounting? {
        guard let rule = app.otp.conversion else { return nil }
        let slowed = try await slowedScopes(app: app.id, rule: rule, at: at, logger: logger)
        let scopes = rule.scopes(of: destination)
        let send = ConversionSend(app: app.id, scopes: scopes, at: at)
        var limits: [ConversionScope: Int] = [:]
        for scope in scopes where slowed[scope] != nil { limits[scope] = rule.slowTo }
        if limits.isEmpty { return ConversionCounting(send: send, countedAlready: false) }
        switch try await store.countConversionSend(app: app.id, scopes: scopes, at: at, limits: limits) {
        case .counted:
            return ConversionCounting(send: send, countedAlready: true)
        case .slowed(let scope):
            observer?.loginEvent(.abuseRefused(.conversion), app: app.id, country: destination.region)
            throw LoginError.conversionSlowdown(scope: scope.key, retryAfterSeconds: Int(ConversionRule.retryAfter(now: at).retryAfterSeconds))
        }
    }

    /// The app's slowed scopes as this daemon sees them now; logs each that begins or ends, and
    /// tells the observer the new set.
    func slowedScopes(app: String, rule: ConversionRule, at: Date, logger: Logger) async throws -> [ConversionScope: ConversionTally] {
        let store = self.store
        let (slowed, changes) = try await conversion.slowed(app: app, rule: rule, now: at) {
            try await store.conversionTallies(app: app, since: rule.windowStart(now: at), minSends: rule.minSends)
        }
        guard !changes.isEmpty else { return slowed }
        for change in changes {
            let metadata: Logger.Metadata = [
                "sb.app": "\(app)", "sb.conversion.scope": "\(change.tally.scope.key)", "sb.conversion.sent": "\(change.tally.sent)",
                "sb.conversion.verified": "\(change.tally.verified)", "sb.conversion.slow_to": "\(rule.slowTo)/m",
            ]
            if change.slowed {
                logger.warning(
                    "OTP sends slowed: few of the codes sent to this country or prefix are verified; GET /admin/slowdowns lists it, DELETE clears it",
                    metadata: metadata
                )
            } else {
                logger.notice("OTP sends no longer slowed: verifications recovered, the volume fell under the floor, or an operator cleared it", metadata: metadata)
            }
        }
        observer?.conversionSlowdowns(Array(slowed.keys), app: app)
        return slowed
    }

    /// What an accepted code counts as verified under the conversion rule, in its send's bucket;
    /// `nil` when the rule is off or the code went to no number (the direct channel).
    static func conversionVerified(app: AppSettings) -> @Sendable (OTPChallenge) -> ConversionSend? {
        let (appID, rule) = (app.id, app.otp.conversion)
        return { challenge in
            guard let rule, let sentTo = challenge.sentTo, let number = try? PhoneNumberParser.parse(sentTo) else { return nil }
            return ConversionSend(app: appID, scopes: rule.scopes(of: number), at: challenge.createdAt)
        }
    }
}

/// A code's count under the conversion rule: made already (a slowed scope's rate is checked on
/// its own), or left to the issue step.
struct ConversionCounting: Sendable {
    var send: ConversionSend

    var countedAlready: Bool

    /// What the issue step counts.
    var inIssueStep: ConversionSend? { countedAlready ? nil : send }

    /// Takes back a count made before an issue step that then refused the code (one the issue
    /// step made is undone with it).
    func takeBackUnissued(from store: any LoginStore, logger: Logger) async {
        if countedAlready { await send.takeBack(from: store, logger: logger) }
    }
}

extension ConversionSend {
    /// Takes the send back; a failure is logged (the count is then one too high until it ages out).
    func takeBack(from store: any LoginStore, logger: Logger) async {
        do {
            try await store.uncountConversionSend(app: app, scopes: scopes, at: at)
        } catch {
            logger.error("could not uncount an OTP send that was not sent", metadata: ["sb.app": "\(app)", "sb.error": "\(logDescription(of: error))"])
        }
    }
}
