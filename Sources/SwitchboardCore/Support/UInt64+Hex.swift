extension UInt64 {
    /// Lowercase hex, zero-padded to `width` digits, so that ids built from it sort as the numbers
    /// do.
    package func hexDigits(width: Int) -> String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}
