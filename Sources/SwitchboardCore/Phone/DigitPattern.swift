/// One of libphonenumber's digit patterns, compiled to a small backtracking program.
///
/// The metadata's patterns only ever see decimal digits and use a small part of regular-expression
/// syntax (see `DigitPattern+Compiler.swift`), so a matcher over digit values 0...9 runs them far
/// faster than a general engine that works on Unicode text, which matters because resolving one
/// number of a shared calling code can take dozens of matches.
///
/// Matching follows Perl's (and so Python's and Java's) leftmost, priority-ordered semantics, which
/// decide what a national-prefix pattern captures. Programs are immutable once compiled, so a pattern
/// is freely shared between threads.
struct DigitPattern: Sendable {
    enum Operation: UInt8, Sendable {
        /// Consume one digit that is in `digits`, then go on at the next instruction.
        case digit
        /// Try `target` first (when the next digit is in `digits`), then `alternative`.
        case split
        /// Go on at `target`.
        case jump
        /// Record the input position in capture slot `target`, then go on at the next instruction.
        case save
        /// Succeed only at the end of the input (`$`).
        case end
        /// The whole pattern matched.
        case match
    }

    struct Instruction: Sendable {
        var operation: Operation
        /// For `digit`: the digits it consumes. For `split`: the digits the preferred branch can
        /// start with, plus `nullable` when that branch can succeed without consuming any.
        var digits: UInt16
        var target: Int32
        var alternative: Int32
    }

    /// A `digits` bit meaning "may match without consuming a digit", so the branch is always tried.
    static let nullable: UInt16 = 1 << 15
    static let anyDigit: UInt16 = 0x3FF

    let program: [Instruction]
    /// The number of capturing groups.
    let groupCount: Int
    /// The digits a match can start with, with `nullable` when it can match the empty string: a
    /// one-instruction rejection of most inputs before the program runs.
    let firstDigits: UInt16

    /// The result of an anchored match at the start of the input.
    struct PrefixMatch {
        /// The input position just past the match.
        var end: Int
        /// Start and end input positions of each capturing group, `-1` where the group took no part.
        var captures: [Int]

        /// The digits group `number` (from 1) captured, or `nil` if it took no part in the match.
        func group(_ number: Int, of digits: [UInt8]) -> ArraySlice<UInt8>? {
            let index = 2 * (number - 1)
            guard number >= 1, index + 1 < captures.count else { return nil }
            let start = captures[index], end = captures[index + 1]
            guard start >= 0, end >= start, end <= digits.count else { return nil }
            return digits[start..<end]
        }
    }

    /// Whether the whole of `digits[start...]` matches, like Python's `fullmatch`.
    func matchesWhole(_ digits: [UInt8], from start: Int = 0) -> Bool {
        guard mayStart(digits, at: start) else { return false }
        var captures = emptyCaptures
        return run(digits, pc: 0, position: start, whole: true, captures: &captures) >= 0
    }

    /// Whether some prefix of `digits[start...]` matches, like Python's `re.match`.
    func matchesPrefix(_ digits: [UInt8], from start: Int = 0) -> Bool {
        guard mayStart(digits, at: start) else { return false }
        var captures = emptyCaptures
        return run(digits, pc: 0, position: start, whole: false, captures: &captures) >= 0
    }

    /// The match at the start of `digits` with its captured groups, like Python's `re.match`.
    func prefixMatch(_ digits: [UInt8]) -> PrefixMatch? {
        guard mayStart(digits, at: 0) else { return nil }
        var captures = emptyCaptures
        let end = run(digits, pc: 0, position: 0, whole: false, captures: &captures)
        return end >= 0 ? PrefixMatch(end: end, captures: captures) : nil
    }

    /// Capture slots for one run: none (and no allocation) for the many patterns without groups.
    private var emptyCaptures: [Int] {
        groupCount == 0 ? [] : [Int](repeating: -1, count: 2 * groupCount)
    }

    private func mayStart(_ digits: [UInt8], at start: Int) -> Bool {
        if firstDigits & Self.nullable != 0 { return true }
        return start < digits.count && firstDigits & (1 << UInt16(digits[start])) != 0
    }

    /// Runs the program from `pc` at input position `position`; returns the end of the match or -1.
    ///
    /// A straight run of instructions is a loop; only a `split` (and a `save`, which must be undone
    /// when what follows fails) recurses. The program has no empty loops (the compiler emits no
    /// backward jumps), so this always terminates, in at most as many nested calls as the program has
    /// instructions.
    private func run(
        _ digits: [UInt8], pc start: Int, position: Int, whole: Bool, captures: inout [Int]
    ) -> Int {
        var pc = start
        var position = position
        while true {
            let instruction = program[pc]
            switch instruction.operation {
            case .digit:
                guard position < digits.count,
                      instruction.digits & (1 << UInt16(digits[position])) != 0
                else { return -1 }
                position += 1
                pc += 1
            case .split:
                let next: UInt16 = position < digits.count ? 1 << UInt16(digits[position]) : 0
                if instruction.digits & (next | Self.nullable) != 0 {
                    let end = run(
                        digits, pc: Int(instruction.target), position: position, whole: whole,
                        captures: &captures)
                    if end >= 0 { return end }
                }
                pc = Int(instruction.alternative)
            case .jump:
                pc = Int(instruction.target)
            case .save:
                let slot = Int(instruction.target)
                let saved = captures[slot]
                captures[slot] = position
                let end = run(digits, pc: pc + 1, position: position, whole: whole, captures: &captures)
                if end >= 0 { return end }
                captures[slot] = saved
                return -1
            case .end:
                guard position == digits.count else { return -1 }
                pc += 1
            case .match:
                return !whole || position == digits.count ? position : -1
            }
        }
    }
}
