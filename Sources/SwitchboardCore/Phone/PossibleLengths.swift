/// A set of national-number lengths, such as the 7, 9 or 10 digits of a GB number.
struct PossibleLengths: Sendable, Hashable {
    /// Bit `n` stands for length `n`; national numbers are at most 17 digits.
    private(set) var bits: UInt32

    init(_ lengths: some Sequence<Int>) {
        bits = 0
        for length in lengths where (0..<32).contains(length) { bits |= 1 << UInt32(length) }
    }

    /// No lengths: for a number type, this means "any length its region allows".
    var isEmpty: Bool { bits == 0 }

    func contains(_ length: Int) -> Bool {
        (0..<32).contains(length) && bits & (1 << UInt32(length)) != 0
    }

    /// The shortest length, or `nil` for an empty set.
    var minimum: Int? { isEmpty ? nil : bits.trailingZeroBitCount }

    /// The longest length, or `nil` for an empty set.
    var maximum: Int? { isEmpty ? nil : 31 - bits.leadingZeroBitCount }
}
