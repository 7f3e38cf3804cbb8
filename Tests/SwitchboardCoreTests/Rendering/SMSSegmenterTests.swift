import SwitchboardCore
import Testing

@Suite struct SMSSegmenterTests {
    private func repeated(_ text: String, _ count: Int) -> String {
        String(repeating: text, count: count)
    }

    /// Septets (or code units) of each segment, measured on its own.
    private func unitsPerSegment(_ analysis: SegmentAnalysis) -> [Int] {
        analysis.segments.map { analysis.encoding == .gsm7 ? SMSSegmenter.analyze($0).units : $0.utf16.count }
    }

    // MARK: The alphabet

    @Test func alphabetIsExactlyTheDefaultTable() {
        #expect(GSM7Alphabet.basicTable.count == 128)
        #expect(GSM7Alphabet.extensionTable.count == 10)
        var basic = 0, extended = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            switch GSM7Alphabet.septets(for: scalar) {
            case 1: basic += 1
            case 2: extended += 1
            case nil: break
            default: Issue.record("U+\(String(value, radix: 16)) costs an impossible number of septets")
            }
        }
        // 128 codes minus the escape.
        #expect(basic == 127)
        #expect(extended == 10)
        #expect(GSM7Alphabet.basicTable[0x09] == "Ç")
        #expect(GSM7Alphabet.basicTable[0x24] == "¤")
        #expect(GSM7Alphabet.basicTable[0x7F] == "à")
    }

    @Test(arguments: ["Ç", "@", "£", "$", "¥", "Δ", "Ξ", "ß", "¿", "ñ", "à", "\n", "\r", "_"])
    func basicCharactersCostOneSeptet(_ character: String) {
        let analysis = SMSSegmenter.analyze(character)
        #expect(analysis.encoding == .gsm7)
        #expect(analysis.units == 1)
    }

    @Test(arguments: ["^", "{", "}", "\\", "[", "~", "]", "|", "€", "\u{0C}"])
    func extensionCharactersCostTwoSeptets(_ character: String) {
        let analysis = SMSSegmenter.analyze(character)
        #expect(analysis.encoding == .gsm7)
        #expect(analysis.units == 2)
    }

    @Test(arguments: ["ç", "`", "’", "\t", "\u{1B}", "á", "Ж", "\u{A0}"])
    func oneNonGSMCharacterMakesTheWholeMessageUCS2(_ character: String) {
        let analysis = SMSSegmenter.analyze("Your code is 123456 " + character)
        #expect(analysis.encoding == .ucs2)
        #expect(analysis.units == 20 + character.utf16.count)
    }

    // MARK: GSM-7

    @Test func shortText() {
        let analysis = SMSSegmenter.analyze("123456 is your Acme code")
        #expect(analysis == SegmentAnalysis(encoding: .gsm7, units: 24, segments: ["123456 is your Acme code"]))
        #expect(analysis.segmentCount == 1)
    }

    @Test func emptyTextIsOneEmptySegment() {
        let analysis = SMSSegmenter.analyze("")
        #expect(analysis == SegmentAnalysis(encoding: .gsm7, units: 0, segments: [""]))
        #expect(analysis.segmentCount == 1)
    }

    @Test func gsm7SingleMessageBoundary() {
        #expect(SMSSegmenter.analyze(repeated("a", 160)).segmentCount == 1)
        let over = SMSSegmenter.analyze(repeated("a", 161))
        #expect(over.units == 161)
        #expect(over.segments == [repeated("a", 153), repeated("a", 8)])
    }

    @Test func gsm7SplitsEvery153Septets() {
        #expect(unitsPerSegment(SMSSegmenter.analyze(repeated("a", 306))) == [153, 153])
        #expect(unitsPerSegment(SMSSegmenter.analyze(repeated("a", 307))) == [153, 153, 1])
    }

    @Test func extensionCharactersCountTwiceTowardsTheLimit() {
        let single = SMSSegmenter.analyze(repeated("€", 80))
        #expect(single.units == 160)
        #expect(single.segmentCount == 1)
        let split = SMSSegmenter.analyze(repeated("€", 81))
        #expect(split.units == 162)
        // 76 pairs fill 152 septets; a 77th would need 154.
        #expect(split.segments == [repeated("€", 76), repeated("€", 5)])
    }

    @Test func escapePairIsNeverSplit() {
        let text = repeated("a", 152) + "[" + repeated("b", 10)
        let analysis = SMSSegmenter.analyze(text)
        #expect(analysis.units == 164)
        #expect(analysis.segments == [repeated("a", 152), "[" + repeated("b", 10)])
        #expect(unitsPerSegment(analysis) == [152, 12])
    }

    @Test func crlfIsTwoCharacters() {
        let analysis = SMSSegmenter.analyze("a\r\nb")
        #expect("a\r\nb".count == 3)
        #expect(analysis.encoding == .gsm7)
        #expect(analysis.units == 4)
    }

    @Test func crlfMaySpanTwoSegments() {
        let text = repeated("a", 152) + "\r\n" + repeated("b", 10)
        let analysis = SMSSegmenter.analyze(text)
        #expect(analysis.units == 164)
        #expect(Array(analysis.segments[0].unicodeScalars.suffix(2)) == ["a", "\r"])
        #expect(Array(analysis.segments[1].unicodeScalars) == ["\n"] + Array(repeated("b", 10).unicodeScalars))
        #expect(unitsPerSegment(analysis) == [153, 11])
        #expect(analysis.segments.joined() == text)
    }

    // MARK: UCS-2

    @Test func emojiUnits() {
        #expect(SMSSegmenter.analyze("👍").units == 2)
        #expect(SMSSegmenter.analyze("👍🏽").units == 4)
        #expect(SMSSegmenter.analyze("👨‍👩‍👧").units == 8)
        #expect(SMSSegmenter.analyze("👍").encoding == .ucs2)
    }

    @Test func gsmCharactersCostOneUnitInUCS2() {
        let analysis = SMSSegmenter.analyze("ç€[")
        #expect(analysis.encoding == .ucs2)
        #expect(analysis.units == 3)
    }

    @Test func ucs2SingleMessageBoundary() {
        #expect(SMSSegmenter.analyze(repeated("ç", 70)).segmentCount == 1)
        let over = SMSSegmenter.analyze(repeated("ç", 71))
        #expect(over.units == 71)
        #expect(over.segments == [repeated("ç", 67), repeated("ç", 4)])
    }

    @Test func ucs2SplitsEvery67Units() {
        #expect(unitsPerSegment(SMSSegmenter.analyze(repeated("ç", 134))) == [67, 67])
        #expect(unitsPerSegment(SMSSegmenter.analyze(repeated("ç", 135))) == [67, 67, 1])
    }

    @Test func surrogatePairIsNeverSplit() {
        let text = repeated("ç", 66) + "👍" + repeated("ç", 10)
        let analysis = SMSSegmenter.analyze(text)
        #expect(analysis.units == 78)
        #expect(analysis.segments == [repeated("ç", 66), "👍" + repeated("ç", 10)])
        #expect(unitsPerSegment(analysis) == [66, 12])
    }

    @Test func graphemeWithModifierIsNotSplit() {
        // 64 + 2 units of 👍 would still fit; its skin-tone modifier would not.
        let text = repeated("ç", 64) + "👍🏽" + repeated("ç", 5)
        let analysis = SMSSegmenter.analyze(text)
        #expect(analysis.segments == [repeated("ç", 64), "👍🏽" + repeated("ç", 5)])
    }

    @Test func zwjSequenceIsNotSplit() {
        let text = repeated("ç", 62) + "👨‍👩‍👧" + "!"
        let analysis = SMSSegmenter.analyze(text)
        #expect(analysis.units == 71)
        #expect(analysis.segments == [repeated("ç", 62), "👨‍👩‍👧!"])
    }

    @Test func graphemeLongerThanASegmentIsSplitBetweenScalars() {
        // One grapheme of 25 ZWJ-joined people: 25 × 2 + 24 = 74 units, more than a segment holds.
        let crowd = Array(repeating: "👨", count: 25).joined(separator: "\u{200D}")
        #expect(crowd.count == 1)
        let text = "abc" + crowd
        let analysis = SMSSegmenter.analyze(text)
        #expect(analysis.units == 77)
        // 3 + 21 × (👨 + ZWJ) = 66; the next 👨 would straddle unit 67, so it starts the next segment.
        #expect(unitsPerSegment(analysis) == [66, 11])
        #expect(analysis.segments.joined() == text)
    }

    @Test func nonGSMCharactersAreListedOnceInOrder() {
        #expect(SMSSegmenter.nonGSMCharacters(in: "ça ç Ça ’ 👍🏽 ’") == ["ç", "’", "👍🏽"])
        #expect(SMSSegmenter.nonGSMCharacters(in: "ça ’ 👍🏽", limit: 2) == ["ç", "’"])
        #expect(SMSSegmenter.nonGSMCharacters(in: "all GSM: Ç € [ ]").isEmpty)
    }
}
