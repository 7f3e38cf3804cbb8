/// Which abuse rule refused an OTP send: the `rule` label of the refusals metric.
package enum AbuseRule: String, Sendable, Hashable, CaseIterable {
    case numberType = "number_type"
    case sender
    case link
    case customPhoneNumber = "custom_phone_number"
    case budget
    case blockedPrefix = "blocked_prefix"
    case conversion
}

extension SendRefusal {
    package var rule: AbuseRule {
        switch self {
        case .numberType: .numberType
        case .sender: .sender
        case .link: .link
        case .customPhoneNumberNotAllowed: .customPhoneNumber
        }
    }
}
