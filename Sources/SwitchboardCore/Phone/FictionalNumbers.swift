/// Number ranges that regulators set aside for drama and documentation: they are never given to a
/// subscriber, so a message to one can never reach a person.
///
/// libphonenumber calls them invalid because no one can have them, but they are what examples,
/// tests and evaluation setups should use, so Switchboard accepts them as numbers of their country.
/// Only the built-in default provider, which sends nothing over the air, will ever see them.
enum FictionalNumbers {
    struct Range {
        var callingCode: Int
        /// The national number's leading digits.
        var prefix: [UInt8]
        var length: Int
        var region: String
    }

    static let ranges: [Range] = [
        // Ofcom: mobile numbers 07700 900000 to 07700 900999 are reserved for drama.
        Range(callingCode: 44, prefix: [7, 7, 0, 0, 9, 0, 0], length: 10, region: "GB"),
    ]

    /// The region of a fictional number, or `nil` when the number is not in a fictional range.
    /// - Parameter nationalNumber: Digit values 0–9.
    static func region(callingCode: Int, nationalNumber: [UInt8]) -> String? {
        ranges.first { range in
            range.callingCode == callingCode && nationalNumber.count == range.length && nationalNumber.starts(with: range.prefix)
        }?.region
    }
}
