import Hummingbird
import SwitchboardCore

extension SendError {
    /// The gateway API's answer to a send that could not be made.
    /// - Parameter breakers: The daemon's breakers: a 503 (every provider skipped) tells the
    ///   caller, in `Retry-After`, when the first of them lets messages through again.
    func apiError(breakers: CircuitBreakerRegistry?) -> APIError {
        var answer = apiError
        if case .deliveryFailed(let record) = self, record.everyProviderSkipped,
            let wait = breakers?.timeUntilAvailable(record.attempts.map(\.provider))
        {
            answer.headers[.retryAfter] = String(wait.retryAfterSeconds)
        }
        return answer
    }

    private var apiError: APIError {
        switch self {
        case .invalidNumber:
            .badRequest("invalid_number", description)
        case .unknownApp:
            .badRequest("unknown_app", description)
        case .countryNotAllowed:
            APIError(status: .forbidden, code: "country_not_allowed", message: description)
        case .noRoute:
            APIError(status: .unprocessableContent, code: "no_route", message: description)
        case .senderRefused:
            .badRequest("sender_refused", description)
        case .noTemplate:
            .badRequest("no_template", description)
        case .renderFailed:
            .badRequest("invalid_message", description)
        case .deliveryFailed(let record) where record.everyProviderSkipped:
            // Nothing was tried: every provider is behind an open breaker or a Retry-After.
            APIError(
                status: .serviceUnavailable,
                code: "providers_unavailable",
                message: description,
                details: ["message_id": record.id, "status": record.status.rawValue, "attempts": record.attempts.map(AttemptAnswer.init)]
            )
        case .deliveryFailed(let record):
            APIError(
                status: .badGateway,
                code: "delivery_failed",
                message: description,
                details: ["message_id": record.id, "status": record.status.rawValue, "attempts": record.attempts.map(AttemptAnswer.init)]
            )
        }
    }
}
