import SwitchboardJSON
import Testing

@Suite struct JSONReaderTests {
    func parse(_ text: String) throws(JSONError) -> JSON { try JSONReader.parse(text) }

    func reason(_ text: String) -> JSONError.Reason? {
        do {
            _ = try JSONReader.parse(text)
            return nil
        } catch {
            return error.reason
        }
    }

    func reason(bytes: [UInt8]) -> JSONError.Reason? {
        do {
            _ = try JSONReader.parse(bytes)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" { "s" : "text", "n": -12.5e+3, "t": true, "f": false, "z": null, "a": [1, [], {}] } "#)
        let expected: JSON = ["s": "text", "n": .number("-12.5e+3"), "t": true, "f": false, "z": .null, "a": [1, [], [:]]]
        #expect(value == expected)
    }

    /// Objects and arrays inside each other, with members and items after the inner ones end: each
    /// keeps exactly its own, in order.
    @Test func nestedValuesKeepTheirOwnMembers() throws {
        let value = try parse(#"{"a":[1,{"b":2,"c":[3,[4,5],{}],"d":{"e":{"f":"g"}}},6],"h":{"i":[]},"j":[[],[7]],"k":8}"#)
        let expected: JSON = [
            "a": [1, ["b": 2, "c": [3, [4, 5], [:]], "d": ["e": ["f": "g"]]], 6], "h": ["i": []], "j": [[], [7]], "k": 8,
        ]
        #expect(value == expected)
        guard case .object(let object) = value, case .array(let items)? = object["a"], case .object(let inner) = items[1] else {
            Issue.record("not the document's shape: \(value)")
            return
        }
        #expect(object.map(\.key) == ["a", "h", "j", "k"])
        #expect(inner.map(\.key) == ["b", "c", "d"])
    }

    @Test func keepsMemberOrder() throws {
        guard case .object(let object) = try parse(#"{"b":1,"a":2,"c":3}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(object.map(\.key) == ["b", "a", "c"])
    }

    /// Duplicate names: every member is kept, lookup finds the last, as Foundation's decoders do.
    @Test func duplicateNamesLookUpTheLast() throws {
        guard case .object(let object) = try parse(#"{"a":1,"a":2}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(object.count == 2)
        #expect(object["a"] == .number("2"))
    }

    @Test func readsTopLevelScalars() throws {
        #expect(try parse("\"x\"") == "x")
        #expect(try parse(" 0 ") == .number("0"))
        #expect(try parse("null") == .null)
        #expect(try parse("true") == true)
    }

    @Test func keepsNumbersAsWritten() throws {
        for text in ["0", "-0", "1", "-1", "0.5", "-0.0", "10", "1e3", "1E-3", "2.50", "123456789012345678901234567890", "1.5e+300"] {
            #expect(try parse(text) == .number(text))
        }
    }

    @Test func refusesBadNumbers() {
        for text in ["01", "-01", "00", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1.5.2", "NaN", "Infinity", "-Infinity", "1_000"] {
            #expect(reason(text) != nil, "\(text)")
        }
        #expect(reason("01") == .invalidNumber)
    }

    @Test func decodesEveryEscape() throws {
        #expect(try parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
        #expect(try parse(#""\u0041\u00e9\u20AC\u0000""#) == .string("Aé€\u{0}"))
        #expect(try parse(#""a\u00e9b""#) == .string("aéb"))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test func refusesLoneSurrogates() {
        #expect(reason(#""\ud83d""#) == .loneSurrogate)
        #expect(reason(#""\ud83dx""#) == .loneSurrogate)
        #expect(reason(#""\ude00""#) == .loneSurrogate)
        #expect(reason(#""\ud83d\u0041""#) == .loneSurrogate)
    }

    @Test func refusesBadEscapes() {
        for text in [#""\a""#, #""\x41""#, #""\u12""#, #""\u12G4""#, #""\'""#, #""\U0041""#] {
            #expect(reason(text) != nil, "\(text)")
        }
        #expect(reason(#""\a""#) == .invalidEscape)
    }

    @Test func readsRawUnicode() throws {
        #expect(try parse("\"héllo wörld € 😀 𝄞\"") == .string("héllo wörld € 😀 𝄞"))
        #expect(try parse("{\"ключ\":\"значение\"}") == ["ключ": "значение"])
    }

    @Test func refusesInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // never valid
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xC3, 0x22],  // truncated
            [0x22, 0x80, 0x22],  // lone continuation
        ]
        for bytes in cases { #expect(reason(bytes: bytes) == .invalidUTF8, "\(bytes)") }
    }

    @Test func refusesControlCharactersInStrings() {
        for byte in UInt8(0)..<0x20 {
            #expect(reason(bytes: [0x22, byte, 0x22]) == .controlCharacterInString)
        }
        #expect(throws: Never.self) { try JSONReader.parse([0x22, 0x7F, 0x22]) }
    }

    @Test func refusesTrailingCommasAndMissingParts() {
        for text in [
            "[1,]", #"{"a":1,}"#, "[,1]", #"{,"a":1}"#, "[1 2]", #"{"a" 1}"#, #"{"a":}"#, #"{a:1}"#, "{'a':1}", "[", "{", #"{"a":1"#, "\"abc", "",
            "   ", "[1]]", "{}x", "tru", "nul", "True", "[1];",
        ] {
            #expect(reason(text) != nil, "\(text)")
        }
        #expect(reason("[1] x") == .trailingContent)
        #expect(reason("") == .unexpectedEnd)
    }

    @Test func onlyRFCWhitespace() throws {
        #expect(try parse(" \t\r\n[1]\n") == [1])
        #expect(reason("\u{0B}[1]") != nil)
        #expect(reason("\u{A0}[1]") != nil)
    }

    @Test func skipsALeadingByteOrderMark() throws {
        #expect(try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
        #expect(reason(bytes: [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) != nil)
    }

    @Test func refusesDeepNesting() throws {
        let limit = JSONReader.defaultMaximumDepth
        _ = try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        #expect(reason(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) == .tooDeep)
        #expect(reason(String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)) == .tooDeep)
        // A hostile document far past the limit fails fast instead of exhausting the stack.
        #expect(reason(String(repeating: "[", count: 1_000_000)) == .tooDeep)
    }

    @Test func depthIsPerBranchNotCumulative() throws {
        let sibling = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        _ = try parse("[" + Array(repeating: sibling, count: 10).joined(separator: ",") + "]")
    }
}

@Suite struct JSONPointerTests {
    let document: JSON = ["messages": [["status": "queued"]], "a/b": 1, "m~n": 2, "~1": 3, "": 4]

    @Test func followsObjectsAndArrays() {
        #expect(document.value(at: "/messages/0/status") == "queued")
        #expect(document.value(at: "") == document)
        #expect(document.value(at: "/") == 4)
        #expect(document.value(at: "/messages/1") == nil)
        #expect(document.value(at: "/messages/x") == nil)
        #expect(document.value(at: "/messages/0/status/deeper") == nil)
        #expect(document.value(at: "messages") == nil)
    }

    @Test func unescapesTildeSequences() {
        #expect(document.value(at: "/a~1b") == 1)
        #expect(document.value(at: "/m~0n") == 2)
        #expect(document.value(at: "/~01") == 3)
    }
}
