package import SwitchboardCore

/// A send that an app's abuse rules refuse before anything is stored or sent. Each has its own
/// error code, so an integrator can tell the caller exactly what to change.
package enum SendRefusal: Sendable, Equatable {
    /// The destination is a kind of line the app does not send codes to (`otp.number_types`).
    case numberType(NumberType, allowed: Set<NumberType>, field: String)
    /// `custom_sms_input.sender_id` is neither the route's sender nor one of the app's `senders`.
    case sender(String, allowed: [String])
    /// `custom_sms_input.custom_message` holds a link to a domain the app does not list in `link_domains`.
    case link(host: String, allowed: [String])
    /// `custom_phone_number` while the app does not allow it.
    case customPhoneNumberNotAllowed

    /// The `error_code` of the answer.
    package var code: String {
        switch self {
        case .numberType: "number_type_not_allowed"
        case .sender: "sender_not_allowed"
        case .link: "link_not_allowed"
        case .customPhoneNumberNotAllowed: "custom_phone_number_not_allowed"
        }
    }

    package var message: String {
        switch self {
        case .numberType(let type, let allowed, let field):
            let names = NumberType.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            return "\(field) is a \(type.rawValue) number; this app sends codes only to \(names) numbers (otp.number_types in its configuration)"
        case .sender(let sender, let allowed):
            return "custom_sms_input.sender_id \(sender) is not allowed for this app; use one of \(allowed.joined(separator: ", ")) or leave it out (senders in its configuration)"
        case .link(let host, let allowed):
            let hint = allowed.isEmpty ? "this app allows no links in custom messages" : "this app allows links only to \(allowed.joined(separator: ", "))"
            return "custom_sms_input.custom_message links to \(host); \(hint) (link_domains in its configuration)"
        case .customPhoneNumberNotAllowed:
            return "custom_phone_number is not allowed for this app; send to the user's own number (custom_phone_number.allow in its configuration)"
        }
    }
}
