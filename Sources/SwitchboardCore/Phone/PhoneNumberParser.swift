/// Reads international phone numbers as people write them and checks them against libphonenumber's
/// numbering plan.
package enum PhoneNumberParser {
    /// The longest national number libphonenumber reads (its `_MAX_LENGTH_FOR_NSN`).
    static let maximumNationalNumberLength = 17

    /// Reads an international number such as `+44 20 7946 0000`, `+1 (415) 555-0100` or
    /// `+33.6.12.34.56.78`, and finds its country.
    ///
    /// The text must hold one `+` before the first digit, then digits (of any script: `+٤٤` is
    /// `+44`), which spaces, dashes, dots, slashes and parentheses may separate; white space around
    /// it is ignored, and it may be at most 250 characters long. The digits are then judged as
    /// libphonenumber's `parse`, `is_possible_number`, `is_valid_number` and
    /// `region_code_for_number` judge them, including a national prefix written after the calling
    /// code (`+44 (0)20 ...`): the test vectors generated from libphonenumber hold it to that.
    ///
    /// Parsing is allocation-light and lock-free after the first call, which loads the plan.
    ///
    /// - Throws: `PhoneNumberError`, saying what is wrong.
    package static func parse(_ text: String) throws(PhoneNumberError) -> PhoneNumber {
        try parse(text, using: .standard)
    }

    /// `parse(_:)` against another plan: the tests use it to show that the vectors catch a wrong table.
    static func parse(_ text: String, using plan: NumberingPlan) throws(PhoneNumberError) -> PhoneNumber {
        let (digits, input) = try digits(of: text)
        // libphonenumber wants at least three digits after a "+" before it looks for a calling code.
        guard digits.count >= 3 else { throw .tooShort(input: input, callingCode: nil) }
        guard let (codePlan, codeLength) = plan.callingCode(startOf: digits) else {
            throw .unknownCallingCode(input: input)
        }
        let code = codePlan.code
        var nationalNumber = Array(digits[codeLength...])
        guard nationalNumber.count >= 2 else { throw .tooShort(input: input, callingCode: code) }

        // parse() reads a national prefix with the main region's rule, and keeps the result only if
        // its length could be a full number.
        let main = codePlan.main
        if let rule = main.nationalPrefix,
           let stripped = rule.apply(to: nationalNumber, general: main.general.pattern) {
            switch main.checkLength(stripped.count) {
            case .tooShort, .localOnly, .invalidLength: break
            case .possible, .tooLong: nationalNumber = stripped
            }
        }
        guard nationalNumber.count <= maximumNationalNumberLength else {
            throw .tooLong(input: input, callingCode: code)
        }

        switch main.checkLength(nationalNumber.count) {
        case .possible:
            break
        case .tooShort, .localOnly:
            // A local-only length is a subscriber number without its area code.
            throw .tooShort(input: input, callingCode: code)
        case .tooLong:
            throw .tooLong(input: input, callingCode: code)
        case .invalidLength:
            let claimed = codePlan.region(for: nationalNumber)
            throw .invalidNumber(input: input, callingCode: code, region: claimed?.id)
        }
        let text = String(decoding: nationalNumber.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        let region = codePlan.region(for: nationalNumber)
        guard let region, region.isValid(nationalNumber) else {
            if let fictional = FictionalNumbers.region(callingCode: code, nationalNumber: nationalNumber) {
                return PhoneNumber(callingCode: code, nationalNumber: text, region: fictional)
            }
            throw .invalidNumber(input: input, callingCode: code, region: region?.id)
        }
        return PhoneNumber(callingCode: code, nationalNumber: text, region: region.id)
    }
}
