extension UInt8 {
    /// The byte with A-Z folded to a-z; every other byte (UTF-8 continuation bytes included) as it is.
    @inlinable package var asciiLowercased: UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) ? self | 0x20 : self
    }
}

extension Sequence<UInt8> {
    /// Equal ignoring ASCII case, as HTTP header names and auth schemes compare; cheaper than
    /// Foundation's locale-aware comparison, which this needs none of. Inlinable, so that a caller
    /// in another module gets a copy specialised for its sequences instead of the generic one.
    @inlinable package func equalsIgnoringASCIICase(_ other: some Sequence<UInt8>) -> Bool {
        elementsEqual(other) { $0.asciiLowercased == $1.asciiLowercased }
    }
}

extension BidirectionalCollection<UInt8> {
    /// Without the spaces and tabs at either end, as header values are read.
    @inlinable package func trimmingASCIIBlanks() -> SubSequence {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
