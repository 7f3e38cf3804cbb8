import Testing

@testable import SwitchboardCore

@Suite struct PhoneNumberParserTests {
    // MARK: Human spellings

    @Test(arguments: [
        "+14155550100",
        "+1 415 555 0100",
        "+1 (415) 555-0100",
        "+1-415-555-0100",
        "+1.415.555.0100",
        "+1/415/555/0100",
        "(+1) 415 555 0100",
        "  +1 415 555 0100\n",
        "\t+1 415 555 0100 ",
        "+1 (1)415 555 0100",
        "+1\u{00A0}415\u{202F}555\u{2013}0100",
        "＋１ ４１５ ５５５ ０１００",
        "+١ ٤١٥ ٥٥٥ ٠١٠٠",
        "+۱ ۴۱۵ ۵۵۵ ۰۱۰۰",
        "+१ ४१५ ५५५ ०१००",
    ])
    func humanSpellings(_ text: String) throws {
        let number = try PhoneNumberParser.parse(text)
        #expect(number == PhoneNumber(callingCode: 1, nationalNumber: "4155550100", region: "US"))
    }

    @Test func examplesFromTheDesign() throws {
        #expect(try PhoneNumberParser.parse("+33.6.12.34.56.78").e164 == "+33612345678")
        #expect(try PhoneNumberParser.parse("+44 20 7946 0000").region == "GB")
    }

    /// Ofcom keeps 07700 900000-900999 for drama. libphonenumber calls them invalid; Switchboard takes
    /// them as British, because they are what examples and evaluation should send to.
    @Test func fictionalRanges() throws {
        #expect(try PhoneNumberParser.parse("+44 7700 900123") == PhoneNumber(callingCode: 44, nationalNumber: "7700900123", region: "GB"))
        #expect(try PhoneNumberParser.parse("+447700900000").region == "GB")
        #expect(try PhoneNumberParser.parse("+447700900999").region == "GB")
        let outside = "+44 7700 901000"
        expect(outside, throws: .invalidNumber(input: outside, callingCode: 44, region: nil))
        let tooLong = "+44 7700 9001234"
        expect(tooLong, throws: .tooLong(input: tooLong, callingCode: 44))
    }

    /// A national prefix written after the calling code is read the way libphonenumber reads it.
    @Test(arguments: [
        ("+44 (0)20 7946 0000", "+442079460000"),
        ("+49 (0)30 123456", "+4930123456"),
        ("+7 8 912 345 67 89", "+79123456789"),
        ("+81 0 3 1234 5678", "+81312345678"),
        ("+54 011 15 2345 6789", "+5491123456789"),  // AR: 0 and 15 become the mobile 9
        ("+54 9 11 2345 6789", "+5491123456789"),
        ("+55 0 15 21 98765 4321", "+5521987654321"),  // BR: 0, then a carrier code
        ("+39 06 6982 0000", "+390669820000"),  // no national prefix: IT (here VA) keeps the 0
    ])
    func nationalPrefix(_ text: String, _ e164: String) throws {
        #expect(try PhoneNumberParser.parse(text).e164 == e164)
    }

    // MARK: Shared calling codes

    @Test(arguments: [
        ("+1 201 555 0123", "US"), ("+1 506 234 5678", "CA"), ("+1 787 234 5678", "PR"),
        ("+1 876 210 1234", "JM"), ("+1 242 359 1234", "BS"), ("+1 246 250 1234", "BB"),
        ("+1 268 464 1234", "AG"),
        ("+7 912 345 67 89", "RU"), ("+7 771 000 9998", "KZ"), ("+7 800 123 45 67", "RU"),
        ("+44 7400 123456", "GB"), ("+44 1481 256789", "GG"), ("+44 7781 123456", "GG"),
        ("+44 1534 456789", "JE"), ("+44 7797 712345", "JE"), ("+44 7624 123456", "IM"),
        ("+44 1624 756789", "IM"), ("+44 800 123 4567", "GB"),
        ("+262 692 12 34 56", "RE"), ("+262 639 01 23 45", "YT"), ("+262 269 60 12 34", "YT"),
        ("+590 690 00 12 34", "GP"), ("+590 590 27 12 34", "BL"),
        ("+599 9 518 1234", "CW"), ("+599 318 1234", "BQ"), ("+599 715 1234", "BQ"),
        ("+47 40 61 23 45", "NO"), ("+47 79 12 34 56", "SJ"),
        ("+61 412 345 678", "AU"), ("+61 8 9162 1234", "CC"), ("+61 8 9164 1234", "CX"),
        ("+212 6 50 12 34 56", "MA"),
        ("+290 51234", "SH"), ("+290 8999", "TA"),
        ("+358 41 2345678", "FI"), ("+358 18 1234567", "AX"),
        ("+39 312 345 6789", "IT"), ("+39 06 6981 2345", "VA"),
        ("+800 1234 5678", "001"), ("+808 1234 5678", "001"), ("+870 301 234 567", "001"),
        ("+881 6 123 45678", "001"), ("+882 34 21234", "001"), ("+883 510 012 345", "001"),
        ("+888 123 456 78901", "001"), ("+979 1 2345 6789", "001"),
    ])
    func sharedCallingCodes(_ text: String, _ region: String) throws {
        #expect(try PhoneNumberParser.parse(text).region == region)
    }

    // MARK: Errors

    private func expect(
        _ text: String, throws expected: PhoneNumberError,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: expected, sourceLocation: sourceLocation) { try PhoneNumberParser.parse(text) }
    }

    @Test func empty() {
        for text in ["", "   ", "\n\t", "\u{00A0}\u{3000}"] {
            expect(text, throws: .empty)
        }
    }

    @Test func missingPlus() {
        expect(" 020 7946 0000 ", throws: .missingPlus(input: "020 7946 0000"))
        expect("0044 20 7946 0000", throws: .missingPlus(input: "0044 20 7946 0000"))
        expect("(415) 555-0100", throws: .missingPlus(input: "(415) 555-0100"))
    }

    @Test(arguments: [
        ("+1 800 FLOWERS", "F"),
        ("+44 20 7946 0000 x12", "x"),
        ("tel:+14155550100", "t"),
        ("++44 20 7946 0000", "+"),
        ("+44 20 +7946 0000", "+"),
        ("44+2079460000", "+"),
        ("+44\t20 7946 0000", "\t"),
        ("+44\u{200B}2079460000", "\u{200B}"),
        ("+44 ²0 7946 0000", "²"),
        ("+44 20 7946 0000 📞", "📞"),
        ("+7 (495) 123-45-67, доб. 1", ","),
        ("+1 415 555 \u{2212}0100", "\u{2212}"),  // a minus sign is not a dash
    ] as [(String, Character)])
    func invalidCharacter(_ text: String, _ character: Character) {
        let error = #expect(throws: PhoneNumberError.self) { try PhoneNumberParser.parse(text) }
        guard case .invalidCharacter(let found, _) = error else {
            Issue.record("expected an invalid character, got \(String(describing: error))")
            return
        }
        #expect(found == character)
    }

    @Test func tooShort() {
        expect("+1 212 555", throws: .tooShort(input: "+1 212 555", callingCode: 1))
        for text in ["+", "+4", "+44", "+ ( )"] {
            expect(text, throws: .tooShort(input: text, callingCode: nil))
        }
        expect("+441", throws: .tooShort(input: "+441", callingCode: 44))
        // Eight digits are a GB local number without its area code.
        expect("+44 7946 0000", throws: .tooShort(input: "+44 7946 0000", callingCode: 44))
    }

    @Test func tooLong() {
        expect("+44 20 7946 0000 12", throws: .tooLong(input: "+44 20 7946 0000 12", callingCode: 44))
        // More than 17 national digits: too long for any country.
        expect("+33 1234567890123456", throws: .tooLong(input: "+33 1234567890123456", callingCode: 33))
        let huge = "+44" + String(repeating: "1", count: 1_000_000)
        expect(huge, throws: .tooLong(input: PhoneNumberError.excerpt(huge), callingCode: nil))
    }

    @Test func unknownCallingCode() {
        for text in ["+999 1234 5678", "+80 1234 5678", "+0 20 7946 0000", "+28 123 4567"] {
            expect(text, throws: .unknownCallingCode(input: text))
        }
    }

    @Test func invalidNumber() {
        // One region for the code: the number was taken for it.
        let france = "+33 0 00 00 00 00"
        expect(france, throws: .invalidNumber(input: france, callingCode: 33, region: "FR"))
        // A shared code: BQ claims numbers starting with 7 by its leading digits, valid or not.
        let bonaire = "+599 7 123 4567"
        expect(bonaire, throws: .invalidNumber(input: bonaire, callingCode: 599, region: "BQ"))
        // A shared code and no region claims it: 999 is no area code.
        let nowhere = "+1 999 555 0100"
        expect(nowhere, throws: .invalidNumber(input: nowhere, callingCode: 1, region: nil))
    }

    // MARK: Messages

    @Test func messagesSayWhatIsWrongAndWhatToDo() {
        let briefExample = PhoneNumberError.tooShort(input: "+1 212 555", callingCode: 1)
        #expect(briefExample.description.hasPrefix(
            #""+1 212 555" is too short for a number of +1 (US/CA and others);"#))
        let errors: [PhoneNumberError] = [
            .empty,
            .missingPlus(input: "020 7946 0000"),
            .missingPlus(input: "0044 20 7946 0000"),
            .invalidCharacter("x", input: "+44 20 7946 0000 x12"),
            .invalidCharacter("+", input: "++44 20"),
            .tooShort(input: "+4", callingCode: nil),
            briefExample,
            .tooLong(input: "+44 20 7946 0000 12", callingCode: 44),
            .tooLong(input: "+4411111…", callingCode: nil),
            .unknownCallingCode(input: "+999 1234"),
            .invalidNumber(input: "+33 0 00 00 00 00", callingCode: 33, region: "FR"),
            .invalidNumber(input: "+1 999 555 0100", callingCode: 1, region: nil),
            .invalidNumber(input: "+800 0", callingCode: 800, region: "001"),
        ]
        for error in errors {
            let message = error.description
            // One sentence: what is wrong; what to do.
            #expect(message.hasSuffix("."), "\(message)")
            #expect(message.contains(";"), "\(message)")
            #expect(!message.contains("\n"), "\(message)")
        }
        func message(_ error: PhoneNumberError) -> String { error.description }
        #expect(message(.missingPlus(input: "0044 20 7946 0000")).contains(#""+44 20 7946 0000""#))
        #expect(message(.invalidCharacter("\u{200B}", input: "+44")).contains("U+200B"))
        #expect(message(.tooShort(input: "+262 2", callingCode: 262)).contains("+262 (RE/YT)"))
        #expect(message(.tooShort(input: "+800 2", callingCode: 800)).contains("+800 (non-geographic)"))
        #expect(message(.tooShort(input: "+44 2", callingCode: 44)).contains("+44 (GB/GG and others)"))
    }

    @Test func errorsKeepOnlyAnExcerptOfTheInput() throws {
        let long = "+44 20 7946 0000 " + String(repeating: "x", count: 200)
        let error = #expect(throws: PhoneNumberError.self) { try PhoneNumberParser.parse(long) }
        guard case .invalidCharacter("x", let input) = error else {
            Issue.record("expected an invalid character, got \(String(describing: error))")
            return
        }
        #expect(input.count == PhoneNumberError.excerptLength + 1)
        #expect(input.hasSuffix("…"))
    }

    // MARK: Robustness

    /// Numbers with random edits from an alphabet of digits of several scripts, separators, letters,
    /// controls and emoji: every input gives a number or an error, never a crash.
    @Test func neverCrashesOnRandomInput() {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array(
            "+＋０１２３٠١٢३4567890 .-/()\u{00A0}\u{2013}xX#*,;\u{200B}é\u{0301}😀\t\n\u{0000}")
        let seeds = Array("+44 20 7946 0000")
        var outcomes: [Bool: Int] = [:]
        for _ in 0..<20_000 {
            var text = seeds
            for _ in 0..<(generator.next() % 4) {
                let position = Int(generator.next() % UInt64(text.count + 1))
                let character = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                switch generator.next() % 3 {
                case 0: text.insert(character, at: position)
                case 1 where position < text.count: text.remove(at: position)
                default: if position < text.count { text[position] = character }
                }
            }
            let parsed = (try? PhoneNumberParser.parse(String(text))) != nil
            outcomes[parsed, default: 0] += 1
        }
        #expect(outcomes[true, default: 0] > 1000)
        #expect(outcomes[false, default: 0] > 1000)
    }

    @Test func resultIsConsistent() throws {
        let number = try PhoneNumberParser.parse("+44 1534 456789")
        #expect(number.callingCode == 44)
        #expect(number.nationalNumber == "1534456789")
        #expect(number.region == "JE")
        #expect(number.e164 == "+441534456789")
        #expect(try PhoneNumberParser.parse(number.e164) == number)
    }
}
