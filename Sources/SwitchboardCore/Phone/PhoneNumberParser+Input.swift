extension PhoneNumberParser {
    /// The longest text read, in Unicode scalars after trimming: libphonenumber's own input limit,
    /// which also bounds the work one call can cause.
    static let maximumInputLength = 250

    /// The digits of an international number as written, with the `+` and separators removed.
    ///
    /// This is the gateway's input policy, stricter than libphonenumber's lenient `parse`: white
    /// space around the number is ignored; then come one `+` (or the full-width `＋`) before the
    /// first digit and decimal digits of any script (Arabic-Indic, Devanagari, full-width, ...,
    /// read as 0-9), separated by any spaces, dashes, dots, slashes and parentheses. Letters are not
    /// read as vanity digits, and no extension or trailing text is cut off: a gateway must not guess.
    ///
    /// - Returns: the digits as values 0...9, and the trimmed input shortened for messages.
    static func digits(of text: String) throws(PhoneNumberError) -> (digits: [UInt8], input: String) {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { throw .empty }
        let trimmed = Substring(scalars[first...last])
        // A scalar takes at most four UTF-8 bytes, so only a long text needs counting.
        if trimmed.utf8.count > maximumInputLength,
           trimmed.utf8.count > 4 * maximumInputLength
            || trimmed.unicodeScalars.count > maximumInputLength {
            throw .tooLong(input: PhoneNumberError.excerpt(trimmed), callingCode: nil)
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(trimmed.utf8.count)
        var sawPlus = false
        for scalar in trimmed.unicodeScalars {
            switch scalar {
            case "0"..."9":
                digits.append(UInt8(scalar.value - 0x30))
            case "+", "\u{FF0B}":
                guard !sawPlus, digits.isEmpty else {
                    throw .invalidCharacter(Character(scalar), input: PhoneNumberError.excerpt(trimmed))
                }
                sawPlus = true
            case " ", ".", "-", "/", "(", ")":
                continue
            default:
                if scalar.isASCII {
                    throw .invalidCharacter(Character(scalar), input: PhoneNumberError.excerpt(trimmed))
                }
                let properties = scalar.properties
                if properties.numericType == .decimal, let digit = decimalValue(properties.numericValue) {
                    digits.append(digit)
                } else if properties.generalCategory == .spaceSeparator
                    || properties.generalCategory == .dashPunctuation {
                    continue
                } else {
                    throw .invalidCharacter(Character(scalar), input: PhoneNumberError.excerpt(trimmed))
                }
            }
        }
        guard sawPlus else { throw .missingPlus(input: PhoneNumberError.excerpt(trimmed)) }
        return (digits, PhoneNumberError.excerpt(trimmed))
    }

    /// A decimal digit's value 0...9. Compared rather than converted: converting a `Double` to an
    /// integer pulls in libm, which SwitchboardCore otherwise does not need.
    private static func decimalValue(_ value: Double?) -> UInt8? {
        guard let value else { return nil }
        return (0...9).first { Double($0) == value }.map(UInt8.init)
    }
}
