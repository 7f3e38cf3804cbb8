/// A set of rule positions, one bit per rule, used while the router's indexes are built.
///
/// Only `RuleBitsets.Builder` turns these into the flat storage that decisions read; this type
/// favours clarity over speed because it runs once per configuration load.
struct RuleBitset: Hashable, Sendable {
    /// Bit `i % 64` of word `i / 64` is set when rule `i` is in the set.
    private(set) var words: [UInt64]

    /// An empty set able to hold rules `0..<ruleCount`.
    init(ruleCount: Int) {
        words = Array(repeating: 0, count: RuleBitset.wordCount(for: ruleCount))
    }

    /// How many 64-bit words hold one bit for each of `ruleCount` rules.
    static func wordCount(for ruleCount: Int) -> Int {
        (ruleCount + 63) / 64
    }

    mutating func insert(_ rule: Int) {
        words[rule / 64] |= 1 << UInt64(rule % 64)
    }

    mutating func formUnion(_ other: RuleBitset) {
        for index in words.indices {
            words[index] |= other.words[index]
        }
    }

    func union(_ other: RuleBitset) -> RuleBitset {
        var result = self
        result.formUnion(other)
        return result
    }
}
