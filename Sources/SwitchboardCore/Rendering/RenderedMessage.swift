/// A message ready for a provider: its final text and what it costs to send.
package struct RenderedMessage: Sendable, Hashable {
    /// The text exactly as it goes to the provider, extra OTP lines included.
    package var text: String
    package var encoding: SMSEncoding
    /// Septets for GSM-7, UTF-16 code units for UCS-2.
    package var units: Int
    package var segmentCount: Int

    package init(text: String, encoding: SMSEncoding, units: Int, segmentCount: Int) {
        self.text = text
        self.encoding = encoding
        self.units = units
        self.segmentCount = segmentCount
    }
}
