extension UInt8 {
    /// The byte with A-Z folded to a-z; every other byte (UTF-8 continuation bytes included) as it is.
    package var asciiLowercased: UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) ? self | 0x20 : self
    }
}

extension Sequence<UInt8> {
    /// Equal ignoring ASCII case, as HTTP header names and auth schemes compare; cheaper than
    /// Foundation's locale-aware comparison, which this needs none of.
    package func equalsIgnoringASCIICase(_ other: some Sequence<UInt8>) -> Bool {
        elementsEqual(other) { $0.asciiLowercased == $1.asciiLowercased }
    }
}
