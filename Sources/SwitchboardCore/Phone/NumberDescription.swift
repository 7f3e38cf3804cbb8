/// The digits of one kind of number in a region (libphonenumber's `PhoneNumberDesc`).
struct NumberDescription: Sendable {
    /// `nil` for the general description, which every number of the region matches.
    let type: NumberType?
    /// The lengths numbers of this kind can have; empty means "whatever the region allows".
    let lengths: PossibleLengths
    let pattern: DigitPattern

    /// Whether a national number is of this kind, like libphonenumber's `_is_number_matching_desc`:
    /// the length is checked first because it is far cheaper than the pattern.
    func matches(_ nationalNumber: [UInt8]) -> Bool {
        (lengths.isEmpty || lengths.contains(nationalNumber.count))
            && pattern.matchesWhole(nationalNumber)
    }
}
