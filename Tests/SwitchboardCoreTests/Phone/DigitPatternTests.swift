import Testing

@testable import SwitchboardCore

/// The matcher must agree with Python's `re` on libphonenumber's patterns, including which match
/// Perl's priority rules pick, since that decides what a national-prefix rule captures.
@Suite struct DigitPatternTests {
    private func digits(_ text: String) -> [UInt8] {
        text.utf8.map { $0 - UInt8(ascii: "0") }
    }

    private func pattern(_ text: String) throws -> DigitPattern {
        try DigitPattern(compiling: text)
    }

    @Test func wholeMatches() throws {
        let us = try pattern(#"[2-9]\d{9}|3\d{6}"#)
        #expect(us.matchesWhole(digits("4155550100")))
        #expect(us.matchesWhole(digits("3123456")))
        #expect(!us.matchesWhole(digits("1155550100")))
        #expect(!us.matchesWhole(digits("41555501001")))
        #expect(!us.matchesWhole(digits("415555010")))
        #expect(!us.matchesWhole([]))

        let ranges = try pattern(#"(?:1[0-24-9]|2[2-5]?)\d{2,4}"#)
        #expect(ranges.matchesWhole(digits("1012")))
        #expect(ranges.matchesWhole(digits("12345")))
        #expect(ranges.matchesWhole(digits("2123")))  // 2, no optional digit, then 123
        #expect(ranges.matchesWhole(digits("251234")))
        #expect(!ranges.matchesWhole(digits("2512345")))
        #expect(!ranges.matchesWhole(digits("1312")))
        #expect(!ranges.matchesWhole(digits("10123456")))
        #expect(ranges.matchesWhole(digits("991012"), from: 2))
    }

    @Test func prefixMatches() throws {
        let leadingDigits = try pattern(#"74576|(?:16|7[56])24"#)
        #expect(leadingDigits.matchesPrefix(digits("7624123456")))
        #expect(leadingDigits.matchesPrefix(digits("1624756789")))
        #expect(!leadingDigits.matchesPrefix(digits("7724123456")))
        #expect(!leadingDigits.matchesPrefix(digits("76")))
    }

    @Test func capturesFollowPerlPriority() throws {
        // Alternatives are tried in order, not longest first.
        let first = try #require(try pattern("(1|12)").prefixMatch(digits("123")))
        #expect(first.end == 1)
        // Quantifiers are greedy.
        let greedy = try #require(try pattern(#"0(\d{1,3})"#).prefixMatch(digits("012345")))
        #expect(greedy.end == 4)
        #expect(greedy.group(1, of: digits("012345")) == [1, 2, 3])
        // A group that takes no part captures nothing, and `$` anchors at the end.
        let mg = try pattern(#"([24-9]\d{6})$|0"#)
        let local = try #require(mg.prefixMatch(digits("2012345")))
        #expect(local.group(1, of: digits("2012345")) == [2, 0, 1, 2, 3, 4, 5])
        let trunk = try #require(mg.prefixMatch(digits("0201234567")))
        #expect(trunk.end == 1)
        #expect(trunk.group(1, of: digits("0201234567")) == nil)
        #expect(mg.prefixMatch(digits("201234567")) == nil)
        // An optional group that can match nothing still lets the match succeed, empty.
        let optional = try #require(try pattern(#"0?(?:(11)?15)?"#).prefixMatch(digits("99")))
        #expect(optional.end == 0)
    }

    @Test func refusesSyntaxItDoesNotKnow() {
        let unsupported = [
            #"\w"#, "a", "[a-z]", "(?=1)", "1*", "1+", "1??", "1{2}{3}", "1{40}", "(1", "1)", "[]", "[3-1]",
        ]
        for text in unsupported {
            #expect(throws: DigitPattern.SyntaxError.self, "\(text)") { try DigitPattern(compiling: text) }
        }
    }

    @Test func everyTablePatternCompiles() {
        let plan = NumberingPlan.standard
        #expect(plan.callingCodes.count >= 200)
        #expect(plan.callingCode(1)?.regions.count == 25)
        #expect(plan.callingCode(44)?.regions.map(\.id) == ["GB", "GG", "IM", "JE"])
        #expect(plan.callingCode(800)?.main.id == "001")
        #expect(plan.callingCode(999) == nil)
    }
}
