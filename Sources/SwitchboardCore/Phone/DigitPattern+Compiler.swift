extension DigitPattern {
    /// Why a pattern could not be compiled.
    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        let pattern: String
        let offset: Int
        let reason: String

        var description: String { "\(reason) at offset \(offset) of the pattern \(pattern)" }
    }

    /// Compiles a pattern written in the subset of regular-expression syntax that libphonenumber's
    /// metadata uses: digits, `\d`, classes of digits and digit ranges (`[2-57-9]`), groups (`(?:...)`
    /// and capturing `(...)`), `|`, and the greedy quantifiers `?`, `{n}` and `{n,m}`, and `$`.
    ///
    /// The generator refuses metadata with any other syntax, so a `SyntaxError` here means the table
    /// and this compiler disagree.
    init(compiling pattern: String) throws(SyntaxError) {
        var parser = Parser(pattern: pattern)
        let root = try parser.parseAlternation()
        guard parser.position == parser.bytes.count else {
            throw parser.error("unexpected \")\"")
        }
        var emitter = Emitter()
        emitter.emit(root)
        emitter.append(.match)
        let first = emitter.firstDigits()
        for pc in emitter.program.indices where emitter.program[pc].operation == .split {
            emitter.program[pc].digits = first[Int(emitter.program[pc].target)]
        }
        self.program = emitter.program
        self.groupCount = parser.groupCount
        self.firstDigits = first[0]
    }
}

/// A parsed pattern, before it is laid out as instructions.
private indirect enum Node {
    case digits(UInt16)
    case end
    case sequence([Node])
    case alternation([Node])
    case group(Node, capture: Int?)
    case repetition(Node, min: Int, max: Int)
}

/// A recursive-descent parser over the pattern's ASCII bytes.
private struct Parser {
    let pattern: String
    let bytes: [UInt8]
    var position = 0
    var groupCount = 0

    /// Counted repetition is unrolled, so an absurd count in a corrupt table must not blow up memory.
    static let maximumRepetition = 32

    init(pattern: String) {
        self.pattern = pattern
        self.bytes = Array(pattern.utf8)
    }

    var next: UInt8? { position < bytes.count ? bytes[position] : nil }

    func error(_ reason: String) -> DigitPattern.SyntaxError {
        DigitPattern.SyntaxError(pattern: pattern, offset: position, reason: reason)
    }

    mutating func parseAlternation() throws(DigitPattern.SyntaxError) -> Node {
        var branches = [try parseSequence()]
        while next == UInt8(ascii: "|") {
            position += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseSequence() throws(DigitPattern.SyntaxError) -> Node {
        var items: [Node] = []
        while let byte = next, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
            items.append(try parseQuantified(try parseAtom()))
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    mutating func parseAtom() throws(DigitPattern.SyntaxError) -> Node {
        guard let byte = next else { throw error("unexpected end") }
        position += 1
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .digits(1 << UInt16(byte - UInt8(ascii: "0")))
        case UInt8(ascii: "\\"):
            guard next == UInt8(ascii: "d") else { throw error("unsupported escape") }
            position += 1
            return .digits(DigitPattern.anyDigit)
        case UInt8(ascii: "["):
            return .digits(try parseClass())
        case UInt8(ascii: "("):
            var capture: Int?
            if next == UInt8(ascii: "?") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ":") else {
                    throw error("unsupported group")
                }
                position += 2
            } else {
                capture = groupCount
                groupCount += 1
            }
            let inner = try parseAlternation()
            guard next == UInt8(ascii: ")") else { throw error("missing \")\"") }
            position += 1
            return .group(inner, capture: capture)
        case UInt8(ascii: "$"):
            return .end
        default:
            position -= 1
            throw error("unsupported character")
        }
    }

    /// A digit class after its `[`: digits and ranges of digits up to `]`.
    mutating func parseClass() throws(DigitPattern.SyntaxError) -> UInt16 {
        var mask: UInt16 = 0
        while true {
            guard let low = digit() else {
                guard next == UInt8(ascii: "]"), mask != 0 else { throw error("bad digit class") }
                position += 1
                return mask
            }
            var high = low
            if next == UInt8(ascii: "-") {
                position += 1
                guard let end = digit(), end >= low else { throw error("bad digit range") }
                high = end
            }
            for value in low...high { mask |= 1 << UInt16(value) }
        }
    }

    mutating func digit() -> UInt8? {
        guard let byte = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        position += 1
        return byte - UInt8(ascii: "0")
    }

    /// One optional quantifier after an atom. A second one (Perl's lazy `??`, or `{2}{3}`) is an
    /// error rather than silently read with other semantics.
    mutating func parseQuantified(_ atom: Node) throws(DigitPattern.SyntaxError) -> Node {
        let quantified: Node
        if next == UInt8(ascii: "?") {
            position += 1
            quantified = .repetition(atom, min: 0, max: 1)
        } else if next == UInt8(ascii: "{") {
            position += 1
            let min = try number()
            var max = min
            if next == UInt8(ascii: ",") {
                position += 1
                max = try number()
            }
            guard next == UInt8(ascii: "}"), min <= max else { throw error("bad repetition") }
            position += 1
            quantified = .repetition(atom, min: min, max: max)
        } else {
            return atom
        }
        if next == UInt8(ascii: "?") || next == UInt8(ascii: "{") {
            throw error("unsupported second quantifier")
        }
        return quantified
    }

    mutating func number() throws(DigitPattern.SyntaxError) -> Int {
        var value = 0
        var digits = 0
        while let digit = digit() {
            value = value * 10 + Int(digit)
            digits += 1
            guard value <= Self.maximumRepetition else { throw error("repetition too large") }
        }
        guard digits > 0 else { throw error("missing repetition count") }
        return value
    }
}

/// Lays a parsed pattern out as instructions. Every jump goes forward, so no program can loop.
private struct Emitter {
    var program: [DigitPattern.Instruction] = []

    @discardableResult
    mutating func append(
        _ operation: DigitPattern.Operation, digits: UInt16 = 0, target: Int = 0
    ) -> Int {
        program.append(
            DigitPattern.Instruction(
                operation: operation, digits: digits, target: Int32(target), alternative: 0))
        return program.count - 1
    }

    mutating func emit(_ node: Node) {
        switch node {
        case .digits(let mask):
            append(.digit, digits: mask)
        case .end:
            append(.end)
        case .sequence(let items):
            for item in items { emit(item) }
        case .alternation(let branches):
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = append(.split, target: program.count + 1)
                emit(branch)
                exits.append(append(.jump))
                program[split].alternative = Int32(program.count)
            }
            if let last = branches.last { emit(last) }
            for exit in exits { program[exit].target = Int32(program.count) }
        case .group(let inner, let capture):
            if let capture { append(.save, target: 2 * capture) }
            emit(inner)
            if let capture { append(.save, target: 2 * capture + 1) }
        case .repetition(let inner, let min, let max):
            for _ in 0..<min { emit(inner) }
            // x{2,4} is laid out as xx(?:x(?:x)?)?: each optional copy skips to the end, so
            // backtracking tries each count once, most first, as Perl's greedy quantifier does.
            var skips: [Int] = []
            for _ in min..<max {
                skips.append(append(.split, target: program.count + 1))
                emit(inner)
            }
            for skip in skips { program[skip].alternative = Int32(program.count) }
        }
    }

    /// For every instruction, the digits a match from there can start with (plus `nullable`).
    ///
    /// One backward pass suffices because every instruction only leads to later ones.
    func firstDigits() -> [UInt16] {
        var first = [UInt16](repeating: 0, count: program.count)
        for pc in program.indices.reversed() {
            let instruction = program[pc]
            switch instruction.operation {
            case .digit:
                first[pc] = instruction.digits
            case .split:
                first[pc] = first[Int(instruction.target)] | first[Int(instruction.alternative)]
            case .jump:
                first[pc] = first[Int(instruction.target)]
            case .save:
                first[pc] = first[pc + 1]
            case .end, .match:
                first[pc] = DigitPattern.nullable
            }
        }
        return first
    }
}
