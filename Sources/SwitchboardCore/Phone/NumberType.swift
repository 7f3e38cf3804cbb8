/// What kind of line a number is: libphonenumber's `PhoneNumberType`, plus the non-geographic
/// satellite and international-network codes, which libphonenumber files under other types but
/// which cost the sender far more than a national mobile and are where SMS pumping goes.
package enum NumberType: String, Sendable, Hashable, CaseIterable {
    case mobile
    /// A region whose mobile and fixed-line numbers cannot be told apart (the whole of +1).
    case fixedLineOrMobile = "fixed_line_or_mobile"
    case fixedLine = "fixed_line"
    case tollFree = "toll_free"
    case premiumRate = "premium_rate"
    case sharedCost = "shared_cost"
    case voip
    case personal
    case pager
    /// Universal access numbers: one number for a company's several lines.
    case uan
    case voicemail
    /// +870 (Inmarsat) and +881 (global mobile satellite systems).
    case satellite
    /// +882 and +883: international networks, most of them without a country's price caps.
    case internationalNetwork = "international_network"

    /// The name in the generated table (`fixedLine`, `premiumRate`, ...); the derived satellite
    /// and international-network types are not in it.
    init?(tableName: Substring) {
        switch tableName {
        case "mobile": self = .mobile
        case "fixedLineOrMobile": self = .fixedLineOrMobile
        case "fixedLine": self = .fixedLine
        case "tollFree": self = .tollFree
        case "premiumRate": self = .premiumRate
        case "sharedCost": self = .sharedCost
        case "voip": self = .voip
        case "personal": self = .personal
        case "pager": self = .pager
        case "uan": self = .uan
        case "voicemail": self = .voicemail
        default: return nil
        }
    }

    /// The types an OTP may go to unless an app says otherwise: the ones that reach a phone that
    /// reads SMS and are billed as ordinary mobile messages.
    package static let otpDefault: Set<NumberType> = [.mobile, .fixedLineOrMobile]

    /// The non-geographic calling codes whose numbers are typed by their code rather than by
    /// libphonenumber's type.
    static func derived(callingCode: Int) -> NumberType? {
        switch callingCode {
        case 870, 881: .satellite
        case 882, 883: .internationalNetwork
        default: nil
        }
    }
}
