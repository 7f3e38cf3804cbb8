/// Every rule set the router's indexes can answer with, stored end to end in one flat buffer.
///
/// An index answers a lookup with the offset of a set rather than the set itself, so a decision
/// copies nothing: it reads four sets in place and ANDs them word by word. One buffer (rather than
/// one array per set) keeps the sets dense in memory and the decision path free of allocation.
struct RuleBitsets: Sendable {
    /// Where a set starts in the buffer; every set is `wordCount` words long.
    typealias Offset = Int

    /// Words per set: one bit for each rule.
    let wordCount: Int
    private let words: ContiguousArray<UInt64>

    fileprivate init(wordCount: Int, words: ContiguousArray<UInt64>) {
        self.wordCount = wordCount
        self.words = words
    }

    /// The lowest rule position present in all four sets: the first rule, in configuration order,
    /// that passes all four conditions.
    /// - Returns: The rule's position, or `nil` when no rule is in all four sets.
    func firstRule(inAll first: Offset, _ second: Offset, _ third: Offset, _ fourth: Offset) -> Int? {
        for word in 0..<wordCount {
            let common = words[first + word] & words[second + word] & words[third + word] & words[fourth + word]
            if common != 0 {
                return word * 64 + common.trailingZeroBitCount
            }
        }
        return nil
    }
}

extension RuleBitsets {
    /// Collects the sets of every index while the router is compiled.
    struct Builder {
        let ruleCount: Int
        private var words: ContiguousArray<UInt64> = []
        /// Indexes often produce the same set many times (every prefix of a rule with hundreds of
        /// prefixes, say); storing each distinct set once keeps large configurations small.
        private var offsets: [RuleBitset: Offset] = [:]

        init(ruleCount: Int) {
            self.ruleCount = ruleCount
        }

        /// An empty set sized for this builder's rules, to fill and then `add`.
        func emptySet() -> RuleBitset {
            RuleBitset(ruleCount: ruleCount)
        }

        /// Stores a set, or finds the identical one already stored.
        /// - Returns: Where the set starts in the buffer.
        mutating func add(_ set: RuleBitset) -> Offset {
            if let existing = offsets[set] { return existing }
            let offset = words.count
            words.append(contentsOf: set.words)
            offsets[set] = offset
            return offset
        }

        func build() -> RuleBitsets {
            RuleBitsets(wordCount: RuleBitset.wordCount(for: ruleCount), words: words)
        }
    }
}
