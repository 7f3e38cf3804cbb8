/// Why a text is not an international phone number that Switchboard can send to.
///
/// Each case keeps the text it was given (`input`, shortened to `excerptLength` characters), so the
/// `description` can say what is wrong with it. That makes the description personal data: log it
/// masked, like the number itself.
package enum PhoneNumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing but white space.
    case empty
    /// No `+` before the digits, as in a national number like `020 7946 0000`.
    case missingPlus(input: String)
    /// A character that is neither a digit, the leading `+`, nor a separator.
    case invalidCharacter(Character, input: String)
    /// Fewer digits than any number of the calling code has, or than any phone number has when the
    /// calling code is not known yet.
    case tooShort(input: String, callingCode: Int?)
    /// More digits than any number of the calling code has, or a text of more than 250 characters.
    case tooLong(input: String, callingCode: Int?)
    /// The digits after the `+` do not start with a calling code in use.
    case unknownCallingCode(input: String)
    /// The length is possible but the digits are not a valid number. `region` is the region it was
    /// taken for, `nil` when no region of a shared calling code claims it.
    case invalidNumber(input: String, callingCode: Int, region: String?)

    /// The longest stretch of input an error keeps, in characters.
    static let excerptLength = 40

    /// The start of `text`, short enough to quote in a message.
    static func excerpt(_ text: some StringProtocol) -> String {
        guard text.count > excerptLength else { return String(text) }
        return text.prefix(excerptLength) + "…"
    }

    package var description: String {
        switch self {
        case .empty:
            return "The phone number is empty; give it in international format, such as +12025550123."
        case .missingPlus(let input):
            if input.hasPrefix("00") {
                return "\"\(input)\" starts with the international prefix 00; write + instead, "
                    + "as in \"+\(input.dropFirst(2))\"."
            }
            return "\"\(input)\" does not start with +; write the number in international format: "
                + "+, the country calling code, then the number, such as +44 20 7946 0000."
        case .invalidCharacter("+", let input), .invalidCharacter("＋", let input):
            return "\"\(input)\" has a + after the start; write a single + only before the country "
                + "calling code."
        case .invalidCharacter(let character, let input):
            return "\"\(input)\" contains \(Self.name(of: character)), which cannot be part of a phone "
                + "number; use only digits after the +, separated by spaces, dots, dashes, slashes "
                + "or parentheses if at all."
        case .tooShort(let input, nil):
            return "\"\(input)\" is too short to be a phone number; give +, the country calling code "
                + "and the whole national number."
        case .tooShort(let input, let code?):
            return "\"\(input)\" is too short for a number of \(Self.summary(of: code)); check that "
                + "no digits are missing, including the area code."
        case .tooLong(let input, nil):
            return "\"\(input)\" is too long to be a phone number; give only the number, with + and "
                + "the country calling code."
        case .tooLong(let input, let code?):
            return "\"\(input)\" is too long for a number of \(Self.summary(of: code)); check for extra "
                + "digits, such as a national prefix 0 written after the country calling code."
        case .unknownCallingCode(let input):
            return "\"\(input)\" does not start with a country calling code in use; check the digits "
                + "right after the +."
        case .invalidNumber(let input, let code, let region?):
            return "\"\(input)\" is not a valid number in \(region) (+\(code)); check the digits, "
                + "especially the first ones after the country calling code."
        case .invalidNumber(let input, let code, nil):
            return "\"\(input)\" is not a valid number in any country of \(Self.summary(of: code)); "
                + "check the area code and the digits."
        }
    }

    /// `+1 (US/CA and others)`, or just `+999` for a code the plan does not know.
    private static func summary(of code: Int) -> String {
        NumberingPlan.standard.callingCode(code)?.summary ?? "+\(code)"
    }

    /// A character as a message shows it: quoted, with its code points, which makes invisible ones
    /// such as a zero-width space or a tab visible.
    private static func name(of character: Character) -> String {
        let codePoints = character.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "\"\(character)\" (\(codePoints.joined(separator: " ")))"
    }
}
