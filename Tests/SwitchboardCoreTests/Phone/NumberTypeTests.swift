import Foundation
import Testing

@testable import SwitchboardCore

/// Holds `PhoneNumber.numberType` to libphonenumber's `number_type`: every line of
/// `Vectors/number-types.tsv`, which `scripts/generate-numbering-plan.py` wrote from `phonenumbers`.
@Suite struct NumberTypeTests {
    static func vectors() throws -> [(line: Int, number: String, type: String)] {
        let url = try #require(Bundle.module.url(forResource: "number-types", withExtension: "tsv", subdirectory: "Vectors"))
        let text = try String(contentsOf: url, encoding: .utf8)
        var vectors: [(Int, String, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t")
            try #require(fields.count == 2, "line \(index + 1) is not number, type")
            vectors.append((index + 1, String(fields[0]), String(fields[1])))
        }
        return vectors
    }

    @Test func everyNumberHasLibphonenumbersType() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 10_000, "the vector file looks truncated")
        var failures: [String] = []
        for vector in vectors {
            let number = try PhoneNumberParser.parse(vector.number)
            let expected: NumberType? = NumberType.derived(callingCode: number.callingCode) ?? NumberType(tableName: Substring(vector.type))
            if number.numberType != expected {
                failures.append("line \(vector.line): \(vector.number) should be \(vector.type), is \(number.numberType.rawValue)")
            }
        }
        for failure in failures.prefix(40) { Issue.record(Comment(rawValue: failure)) }
        #expect(failures.isEmpty, "\(failures.count) of \(vectors.count) numbers disagree")
    }

    @Test func vectorsCoverEveryTableType() throws {
        let types = Set(try Self.vectors().map(\.type))
        #expect(types == ["mobile", "fixedLineOrMobile", "fixedLine", "tollFree", "premiumRate", "sharedCost", "voip", "personal", "pager", "uan", "voicemail"])
    }

    @Test(arguments: [
        ("+447700900123", NumberType.mobile),  // fictional: libphonenumber calls it invalid
        ("+447911123456", .mobile),
        ("+442079460000", .fixedLine),
        ("+14155550100", .fixedLineOrMobile),
        ("+19005550100", .premiumRate),
        ("+448001234567", .tollFree),
        ("+881612345678", .satellite),
        ("+8823421234", .internationalNetwork),
    ])
    func knownNumbers(number: String, type: NumberType) throws {
        #expect(try PhoneNumberParser.parse(number).numberType == type)
    }

    @Test func anUnknownTypeNameInTheTableIsRefused() {
        let table = "+44 GB\nGB 10 - - - - \\d{10}\n mobil 10 7\\d{9}\n"
        #expect(throws: NumberingPlan.TableError.self) { try NumberingPlan(table: table) }
    }
}
