/// One region's numbering rules: the part of libphonenumber's `PhoneMetadata` that validation and
/// country resolution read.
struct RegionPlan: Sendable {
    /// ISO 3166 alpha-2 code as libphonenumber spells it (it also has `AC`, `TA` and `XK`), or `001`
    /// for a non-geographic entity such as +800.
    let id: String
    let callingCode: Int
    /// Lengths of a number that is only dialable within its area (libphonenumber's local-only lengths).
    let localOnlyLengths: PossibleLengths
    /// Where several regions share a calling code, the digits that mark a number as this region's,
    /// tried before validating the number against the region.
    let leadingDigits: DigitPattern?
    /// The national prefix rule; only a calling code's main region has one, because `parse` only
    /// reads the main region's.
    let nationalPrefix: NationalPrefixRule?
    /// The general description: every number of the region matches it.
    let general: NumberDescription
    /// Fixed line, mobile, toll free and the other types that `is_valid_number` accepts.
    let types: [NumberDescription]

    /// The lengths any number of the region can have.
    var possibleLengths: PossibleLengths { general.lengths }

    /// Whether a national number is a valid number of this region, like libphonenumber's
    /// `_number_type_helper` returning anything but UNKNOWN: which type matches does not matter here.
    func isValid(_ nationalNumber: [UInt8]) -> Bool {
        general.matches(nationalNumber) && types.contains { $0.matches(nationalNumber) }
    }

    /// libphonenumber's `_number_type_helper`: the special types first, in its order, then fixed
    /// line (or fixed line or mobile, when the number also matches the mobile pattern), then mobile.
    /// `nil` for a number the region does not consider valid.
    func numberType(of nationalNumber: [UInt8]) -> NumberType? {
        guard general.matches(nationalNumber) else { return nil }
        let order: [NumberType] = [.premiumRate, .tollFree, .sharedCost, .voip, .personal, .pager, .uan, .voicemail]
        for type in order where types.contains(where: { $0.type == type && $0.matches(nationalNumber) }) {
            return type
        }
        if types.contains(where: { $0.type == .fixedLineOrMobile && $0.matches(nationalNumber) }) { return .fixedLineOrMobile }
        let mobile = types.contains { $0.type == .mobile && $0.matches(nationalNumber) }
        if types.contains(where: { $0.type == .fixedLine && $0.matches(nationalNumber) }) {
            return mobile ? .fixedLineOrMobile : .fixedLine
        }
        return mobile ? .mobile : nil
    }

    /// How a length compares to the region's possible lengths (libphonenumber's `ValidationResult`).
    enum LengthCheck: Sendable {
        case possible, localOnly, tooShort, tooLong, invalidLength
    }

    /// libphonenumber's `_test_number_length` for numbers of any type.
    func checkLength(_ length: Int) -> LengthCheck {
        if localOnlyLengths.contains(length) { return .localOnly }
        guard let minimum = possibleLengths.minimum, let maximum = possibleLengths.maximum else {
            return .invalidLength
        }
        if length < minimum { return .tooShort }
        if length > maximum { return .tooLong }
        return possibleLengths.contains(length) ? .possible : .invalidLength
    }
}
