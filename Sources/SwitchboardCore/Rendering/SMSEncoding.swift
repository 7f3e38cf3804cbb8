/// The character set a message travels in; it decides how many characters fit in a segment.
package enum SMSEncoding: String, Sendable, Hashable, Codable {
    /// The GSM 03.38 7-bit default alphabet (with its extension table).
    case gsm7 = "GSM-7"
    /// UTF-16 code units, for anything GSM-7 cannot carry.
    case ucs2 = "UCS-2"
}
