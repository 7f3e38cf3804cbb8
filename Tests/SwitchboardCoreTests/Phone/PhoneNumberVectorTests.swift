import Foundation
import Testing

@testable import SwitchboardCore

/// Holds the parser to libphonenumber: every line of `Vectors/phone-numbers.tsv`, which
/// `scripts/generate-numbering-plan.py` wrote from the `phonenumbers` package, must come out the same.
@Suite struct PhoneNumberVectorTests {
    /// One vector: the input and the expected outcome as the file writes it.
    struct Vector {
        let line: Int
        let input: String
        let expected: String
    }

    static func vectors() throws -> [Vector] {
        let url = try #require(
            Bundle.module.url(forResource: "phone-numbers", withExtension: "tsv", subdirectory: "Vectors"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var vectors: [Vector] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count >= 3, "line \(index + 1) is not input, outcome, detail")
            vectors.append(
                Vector(
                    line: index + 1, input: String(fields[0]),
                    expected: fields.dropFirst().joined(separator: "\t")))
        }
        return vectors
    }

    /// The outcome of parsing `input`, in the file's notation.
    static func outcome(of input: String, using plan: NumberingPlan) -> String {
        do {
            let number = try PhoneNumberParser.parse(input, using: plan)
            return "ok\t\(number.e164)\t\(number.region)"
        } catch {
            switch error {
            case .empty: return "error\tempty"
            case .missingPlus: return "error\tmissing-plus"
            case .invalidCharacter: return "error\tinvalid-character"
            case .tooShort: return "error\ttoo-short"
            case .tooLong: return "error\ttoo-long"
            case .unknownCallingCode: return "error\tunknown-calling-code"
            case .invalidNumber(_, _, let region): return "error\tinvalid-number\t\(region ?? "")"
            }
        }
    }

    /// The vectors whose outcome differs, described for the test report.
    static func disagreements(in vectors: [Vector], using plan: NumberingPlan) -> [String] {
        vectors.compactMap { vector in
            let actual = outcome(of: vector.input, using: plan)
            guard actual != vector.expected else { return nil }
            return "line \(vector.line): \(vector.input.debugDescription) should be "
                + "\(vector.expected.debugDescription), is \(actual.debugDescription)"
        }
    }

    @Test func everyVectorAgreesWithLibphonenumber() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 5000, "the vector file looks truncated")
        let failures = Self.disagreements(in: vectors, using: .standard)
        for failure in failures.prefix(40) {
            Issue.record(Comment(rawValue: failure))
        }
        #expect(failures.isEmpty, "\(failures.count) of \(vectors.count) vectors disagree")
    }

    @Test func vectorsCoverEveryOutcomeAndRegion() throws {
        let outcomes = try Self.vectors().map {
            $0.expected.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        // Every vector has at least two outcome fields: "ok" and the number, or "error" and why.
        let kinds = Set(outcomes.map { $0[0] == "ok" ? "ok" : $0[1] })
        #expect(kinds == [
            "ok", "empty", "missing-plus", "invalid-character", "too-short", "too-long",
            "unknown-calling-code", "invalid-number",
        ])
        let regions = Set(outcomes.filter { $0[0] == "ok" }.compactMap { $0.count > 2 ? $0[2] : nil })
        let planRegions = Set(NumberingPlan.standard.callingCodes.flatMap { $0.regions.map(\.id) })
        // libphonenumber never resolves a number to EH: MA comes first and its leading digits
        // [5-8] claim every number EH has.
        #expect(planRegions.subtracting(regions) == ["EH"])
    }

    /// Without this, a vector test that compared nothing would pass as well: a table with one
    /// pattern changed (NANP subscriber numbers may no longer start with 2) must fail vectors.
    @Test func vectorsCatchAWrongTable() throws {
        let wrongTable = NumberingPlan.generatedTable.replacingOccurrences(
            of: #"[2-9]\d{6}"#, with: #"[3-9]\d{6}"#)
        #expect(wrongTable != NumberingPlan.generatedTable)
        let wrongPlan = try NumberingPlan(table: wrongTable)
        let failures = Self.disagreements(in: try Self.vectors(), using: wrongPlan)
        #expect(failures.count > 10)
    }
}
