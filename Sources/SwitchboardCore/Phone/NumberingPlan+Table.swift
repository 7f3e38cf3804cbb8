extension NumberingPlan {
    /// A line of the table that does not read.
    struct TableError: Error, Sendable, CustomStringConvertible {
        let line: Int
        let reason: String

        var description: String { "line \(line): \(reason)" }
    }

    /// Reads the line format written by `scripts/generate-numbering-plan.py` (described on
    /// `generatedTable`), compiling every distinct pattern once.
    init(table: String) throws(TableError) {
        var reader = TableReader()
        for (index, line) in table.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do {
                try reader.read(line)
            } catch {
                throw TableError(line: index + 1, reason: error.reason)
            }
        }
        do {
            try reader.finishCallingCode()
        } catch {
            throw TableError(line: 0, reason: error.reason)
        }
        self.init(callingCodes: reader.callingCodes)
    }
}

/// Why a line does not read; the table reader adds the line number.
private struct LineError: Error {
    let reason: String
}

/// Builds the plan line by line: a calling-code line opens a group, a region line adds a region
/// to it, and an indented type line adds a number type to the region before it.
private struct TableReader {
    var callingCodes: [CallingCodePlan] = []
    private var code: Int?
    private var expectedRegions: [Substring] = []
    private var regions: [RegionPlan] = []
    private var region: PendingRegion?
    /// Many regions share patterns (all of +1 share the toll-free one), so each compiles once.
    private var compiled: [Substring: DigitPattern] = [:]

    /// A region whose number types are still being read.
    private struct PendingRegion {
        var id: String
        var localOnlyLengths: PossibleLengths
        var leadingDigits: DigitPattern?
        var nationalPrefix: NationalPrefixRule?
        var general: NumberDescription
        var types: [NumberDescription] = []
    }

    mutating func read(_ line: Substring) throws(LineError) {
        if line.isEmpty { return }
        let fields = line.split(separator: " ")
        if line.hasPrefix(" ") {
            try readType(fields)
        } else if line.hasPrefix("+") {
            try finishCallingCode()
            guard fields.count >= 2, let code = Int(fields[0].dropFirst()), (1...999).contains(code) else {
                throw LineError(reason: "bad calling code line")
            }
            self.code = code
            expectedRegions = Array(fields.dropFirst())
        } else {
            try readRegion(fields)
        }
    }

    private mutating func readRegion(_ fields: [Substring]) throws(LineError) {
        guard let code, fields.count == 7 else { throw LineError(reason: "bad region line") }
        finishRegion()
        let id = fields[0]
        guard regions.count < expectedRegions.count, expectedRegions[regions.count] == id else {
            throw LineError(reason: "region \(id) is not the next region of +\(code)")
        }
        let general = NumberDescription(type: nil, lengths: try lengths(fields[1]), pattern: try pattern(fields[6]))
        guard !general.lengths.isEmpty else { throw LineError(reason: "region \(id) has no lengths") }
        var nationalPrefix: NationalPrefixRule?
        if fields[4] != "-" {
            nationalPrefix = NationalPrefixRule(
                pattern: try pattern(fields[4]),
                transform: fields[5] == "-" ? nil : try transform(fields[5]))
        }
        region = PendingRegion(
            id: String(id),
            localOnlyLengths: try lengths(fields[2]),
            leadingDigits: fields[3] == "-" ? nil : try pattern(fields[3]),
            nationalPrefix: nationalPrefix,
            general: general)
    }

    private mutating func readType(_ fields: [Substring]) throws(LineError) {
        guard fields.count == 3, region != nil else { throw LineError(reason: "bad number type line") }
        guard let type = NumberType(tableName: fields[0]) else { throw LineError(reason: "unknown number type \(fields[0])") }
        let description = NumberDescription(type: type, lengths: try lengths(fields[1]), pattern: try pattern(fields[2]))
        region?.types.append(description)
    }

    private mutating func finishRegion() {
        guard let region, let code else { return }
        regions.append(
            RegionPlan(
                id: region.id, callingCode: code, localOnlyLengths: region.localOnlyLengths,
                leadingDigits: region.leadingDigits, nationalPrefix: region.nationalPrefix,
                general: region.general, types: region.types))
        self.region = nil
    }

    mutating func finishCallingCode() throws(LineError) {
        finishRegion()
        guard let code else { return }
        guard regions.count == expectedRegions.count else {
            throw LineError(
                reason: "+\(code) lists \(expectedRegions.count) regions but has \(regions.count)")
        }
        callingCodes.append(CallingCodePlan(code: code, regions: regions))
        self.code = nil
        regions = []
    }

    private mutating func pattern(_ text: Substring) throws(LineError) -> DigitPattern {
        if let pattern = compiled[text] { return pattern }
        do {
            let pattern = try DigitPattern(compiling: String(text))
            compiled[text] = pattern
            return pattern
        } catch {
            throw LineError(reason: error.description)
        }
    }

    /// `7,9,10`, or `-` for none.
    private func lengths(_ text: Substring) throws(LineError) -> PossibleLengths {
        if text == "-" { return PossibleLengths([]) }
        var lengths: [Int] = []
        for field in text.split(separator: ",") {
            guard let length = Int(field), (1...31).contains(length) else {
                throw LineError(reason: "bad length \(field)")
            }
            lengths.append(length)
        }
        return PossibleLengths(lengths)
    }

    /// A replacement such as `9$1`: digits, and `$n` for the digits group n captured.
    private func transform(_ text: Substring) throws(LineError) -> [NationalPrefixRule.Part] {
        var parts: [NationalPrefixRule.Part] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if let digit = decimalDigit(byte) {
                if case .digits(let digits) = parts.last {
                    parts[parts.count - 1] = .digits(digits + [digit])
                } else {
                    parts.append(.digits([digit]))
                }
            } else if byte == UInt8(ascii: "$"), let next = bytes.next(), let group = decimalDigit(next) {
                parts.append(.group(Int(group)))
            } else {
                throw LineError(reason: "bad transform rule \(text)")
            }
        }
        return parts
    }

    private func decimalDigit(_ byte: UInt8) -> UInt8? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? byte - UInt8(ascii: "0") : nil
    }
}
