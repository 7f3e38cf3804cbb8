/// The router's index for a condition that lists exact values (countries, apps, kinds): for any
/// value, the set of rules that accept it.
///
/// A rule without the condition accepts every value, so it is in every set, including the one
/// answered for values no rule names.
struct KeyedRuleSets<Key: Hashable & Sendable>: Sendable {
    private let offsets: [Key: RuleBitsets.Offset]
    private let unnamed: RuleBitsets.Offset

    /// - Parameters:
    ///   - conditions: Each rule's condition on this dimension, in rule order; `nil` accepts any value.
    ///   - builder: Where the sets are stored.
    init(_ conditions: [Set<Key>?], into builder: inout RuleBitsets.Builder) {
        var unconditional = builder.emptySet()
        var named: [Key: RuleBitset] = [:]
        for (rule, condition) in conditions.enumerated() {
            guard let condition else {
                unconditional.insert(rule)
                continue
            }
            for key in condition {
                named[key, default: builder.emptySet()].insert(rule)
            }
        }
        unnamed = builder.add(unconditional)
        var offsets: [Key: RuleBitsets.Offset] = [:]
        for (key, rules) in named {
            offsets[key] = builder.add(rules.union(unconditional))
        }
        self.offsets = offsets
    }

    /// The set of rules that accept `key`.
    subscript(key: Key) -> RuleBitsets.Offset {
        offsets[key] ?? unnamed
    }
}
