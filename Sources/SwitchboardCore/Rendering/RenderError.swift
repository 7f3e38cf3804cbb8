/// Why a message could not be rendered. Each case says what to do about it.
package enum RenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message is empty or only whitespace.
    case empty
    /// The template uses a placeholder the values leave `nil`.
    case missingValue(TemplatePlaceholder)
    /// The app adds a WebOTP line but the message has no code to put in it.
    case webOTPWithoutCode(domain: String)
    /// The message needs more segments than allowed. For UCS-2, `nonGSMCharacters` holds the first
    /// characters that forced it: up to `charactersNamed`, and one more when there were others.
    case tooManySegments(segments: Int, limit: Int, encoding: SMSEncoding, units: Int, nonGSMCharacters: [Character])
    /// The message holds a control character other than line feed, carriage return and tab.
    case controlCharacter(ControlCharacter)

    /// How many of the characters that forced UCS-2 an error names.
    package static let charactersNamed = 5

    package var description: String {
        switch self {
        case .empty:
            return "the message is empty (or only spaces and line breaks); check the template and its values"
        case .missingValue(let placeholder):
            return "the template uses \(placeholder.token) but no value was given for it"
        case .controlCharacter(let control):
            return "the message contains the control character \(control); remove it (line breaks and tabs are the only controls a message may carry)"
        case .webOTPWithoutCode(let domain):
            return "the app adds a WebOTP line (@\(domain) #code) but the message has no code; WebOTP lines are only for OTP messages"
        case .tooManySegments(let segments, let limit, let encoding, let units, let characters):
            let size = "the message comes to \(segments) segments (\(encoding.rawValue), \(units) \(encoding.unitName))"
                + " but at most \(limit) \(limit == 1 ? "is" : "are") allowed"
            let shorten = "shorten it to at most \(encoding.capacity(inSegments: limit)) \(encoding.unitName)"
            let raise = "or raise messages.max_segments"
            guard encoding == .ucs2, !characters.isEmpty else {
                let extensionNote = encoding == .gsm7 ? " (^ { } \\ [ ~ ] | € take two each)" : ""
                return "\(size); \(shorten)\(extensionNote), \(raise)"
            }
            let named = characters.prefix(Self.charactersNamed).map(Self.describe).joined(separator: ", ")
            let more = characters.count > Self.charactersNamed ? " and others" : ""
            return "\(size). It is sent as UCS-2 because of \(named)\(more), which GSM-7 cannot carry;"
                + " without them a segment would hold \(SMSEncoding.gsm7.concatenatedSegmentCapacity) characters instead of"
                + " \(SMSEncoding.ucs2.concatenatedSegmentCapacity). Replace them, \(shorten), \(raise)"
        }
    }

    /// `'ç' (U+00E7)`, or only the code points for characters that would not show, such as a tab.
    private static func describe(_ character: Character) -> String {
        let codePoints = character.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
        let invisible: Set<Unicode.GeneralCategory> = [.control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator]
        guard let first = character.unicodeScalars.first, !invisible.contains(first.properties.generalCategory) else {
            return codePoints
        }
        return "'\(character)' (\(codePoints))"
    }
}
