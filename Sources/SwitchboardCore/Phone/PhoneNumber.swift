/// A valid international phone number, with the country it belongs to.
package struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// The country calling code, such as 44 for `+44 7700 900123`.
    package let callingCode: Int
    /// The national significant number: the digits after the calling code.
    package let nationalNumber: String
    /// ISO 3166 alpha-2 code of the country or territory (`GB`, `JE`, ...), or `001` for
    /// non-geographic numbers such as `+800`.
    package let region: String

    package init(callingCode: Int, nationalNumber: String, region: String) {
        self.callingCode = callingCode
        self.nationalNumber = nationalNumber
        self.region = region
    }

    /// The digits of the E.164 form, without the `+`: what number prefixes are matched against.
    package var digits: String { "\(callingCode)\(nationalNumber)" }

    /// The E.164 form, such as `+447700900123`.
    package var e164: String { "+\(digits)" }

    package var description: String { e164 }
}
