/// How a text travels as SMS: its encoding, its length in that encoding, and how it is split.
package struct SegmentAnalysis: Sendable, Hashable {
    package var encoding: SMSEncoding
    /// Septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2.
    package var units: Int
    /// The text of each SMS the phone receives, in order; joined, they give back the text.
    /// Never empty: an empty text is one empty SMS.
    package var segments: [String]

    package var segmentCount: Int { segments.count }

    package init(encoding: SMSEncoding, units: Int, segments: [String]) {
        self.encoding = encoding
        self.units = units
        self.segments = segments
    }
}
