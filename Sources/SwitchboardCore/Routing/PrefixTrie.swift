/// The router's index for number prefixes: a digit trie whose answer for a number is the set of
/// rules that accept its digits.
///
/// Each node where some rule's prefix ends holds the set of rules whose prefix ends there *or at
/// any node above it*, plus the rules without a prefix condition. One walk down the number's digits,
/// remembering the last such node passed, therefore answers with every rule that has a matching
/// prefix, however many prefixes overlap.
struct PrefixTrie: Sendable {
    private static let radix = 10
    private static let noChild: Int32 = 0

    /// `children[node * 10 + digit]` is the node below `node` for that digit, or `noChild`
    /// (node 0 is the root, which is nobody's child).
    private let children: ContiguousArray<Int32>
    /// The set answered when the walk's deepest prefix-ending node is `node`, or -1 where no prefix ends.
    private let offsets: ContiguousArray<RuleBitsets.Offset>

    /// - Parameters:
    ///   - conditions: Each rule's prefixes (digits, without `+`), in rule order; `nil` accepts any number.
    ///     A prefix with anything but ASCII digits can match no number and is left out.
    ///   - builder: Where the sets are stored.
    init(_ conditions: [[String]?], into builder: inout RuleBitsets.Builder) {
        var children = ContiguousArray<Int32>(repeating: Self.noChild, count: Self.radix)
        var parents = [0]
        // The rules whose prefix ends exactly at each node.
        var ending: [RuleBitset?] = [builder.emptySet()]

        for (rule, prefixes) in conditions.enumerated() {
            guard let prefixes else {
                ending[0]?.insert(rule)
                continue
            }
            for prefix in prefixes where prefix.utf8.allSatisfy(Self.isDigit) {
                var node = 0
                for byte in prefix.utf8 {
                    let slot = node * Self.radix + Int(byte &- UInt8(ascii: "0"))
                    if children[slot] == Self.noChild {
                        children[slot] = Int32(parents.count)
                        children.append(contentsOf: repeatElement(Self.noChild, count: Self.radix))
                        parents.append(node)
                        ending.append(nil)
                    }
                    node = Int(children[slot])
                }
                if ending[node] == nil { ending[node] = builder.emptySet() }
                ending[node]?.insert(rule)
            }
        }

        // A parent is always created before its children, so one pass in creation order sees every
        // node's accumulated set before it is needed below.
        var accumulated: [RuleBitset?] = Array(repeating: nil, count: parents.count)
        var nearestEnding = Array(repeating: 0, count: parents.count)
        var offsets = ContiguousArray<RuleBitsets.Offset>(repeating: -1, count: parents.count)
        for node in parents.indices {
            let above = nearestEnding[parents[node]]
            guard let here = ending[node] else {
                nearestEnding[node] = above
                continue
            }
            let set = node == 0 ? here : here.union(accumulated[above] ?? builder.emptySet())
            accumulated[node] = set
            nearestEnding[node] = node
            offsets[node] = builder.add(set)
        }
        self.children = children
        self.offsets = offsets
    }

    /// The set of rules whose prefix condition `number` meets.
    func rules(for number: PhoneNumber) -> RuleBitsets.Offset {
        var node = 0
        var found = offsets[0]
        for byte in E164Digits(number) {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < Self.radix else { break }
            let child = children[node * Self.radix + Int(digit)]
            guard child != Self.noChild else { break }
            node = Int(child)
            let offset = offsets[node]
            if offset >= 0 { found = offset }
        }
        return found
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
