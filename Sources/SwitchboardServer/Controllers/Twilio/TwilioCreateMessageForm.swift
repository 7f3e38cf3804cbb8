import Foundation

/// The form of Twilio's CreateMessage, read strictly for what Switchboard does with it.
///
/// Parameters Twilio's API description lists but Switchboard cannot honour (media, content
/// templates, scheduling, ...) are refused by name rather than dropped: the caller would otherwise
/// believe they took effect. Parameters Twilio does not list are ignored, as Twilio ignores them.
struct TwilioCreateMessageForm {
    var to: String?
    var from: String?
    var messagingServiceSID: String?
    var body: String?
    var validityPeriod: Int?
    /// Where Twilio's status callbacks for the message go; checked by the controller.
    var statusCallback: String?

    /// Listed by Twilio, with no effect here that the caller could miss. `ValidityPeriod` holds of
    /// itself: the message is sent at once or not at all.
    static let accepted: Set<String> = [
        "To", "From", "MessagingServiceSid", "Body", "ValidityPeriod", "ProvideFeedback", "Attempt", "RiskCheck", "StatusCallback",
    ]
    /// Listed by Twilio, and changing what would be sent or when.
    static let refused: Set<String> = [
        "MediaUrl", "ContentSid", "ContentVariables", "SendAt", "ScheduleType", "SendAsMms", "ShortenUrls", "SmartEncoded", "PersistentAction",
        "FallbackFrom", "MaxPrice", "ApplicationSid", "ForceDelivery", "ContentRetention", "AddressRetention", "TrafficType",
    ]

    enum Problem: Error, Equatable {
        case repeated(String)
        case unsupported(String)
        case invalid(String, String)
    }

    /// Reads `application/x-www-form-urlencoded` text.
    init(_ text: String) throws(Problem) {
        var seen: Set<String> = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = URLEncodedPairs.decode(parts[0]) else { throw .invalid(String(parts[0]), "is not percent-encoded correctly") }
            let value = parts.count > 1 ? URLEncodedPairs.decode(parts[1]) : ""
            guard let value else { throw .invalid(name, "is not percent-encoded correctly") }
            if Self.refused.contains(name) { throw .unsupported(name) }
            guard Self.accepted.contains(name) else { continue }
            guard seen.insert(name).inserted else { throw .repeated(name) }
            switch name {
            case "To": to = value
            case "From": from = value
            case "MessagingServiceSid": messagingServiceSID = value
            case "Body": body = value
            case "StatusCallback": statusCallback = value.isEmpty ? nil : value
            case "ValidityPeriod":
                guard let seconds = Int(value), (1...36_000).contains(seconds) else { throw .invalid(name, "must be a whole number of seconds from 1 to 36000") }
                validityPeriod = seconds
            default: break
            }
        }
    }
}
