import SwitchboardCore
import Testing

@Suite struct ControlCharacterTests {
    @Test(arguments: [
        ("\u{1B}[31mred", "\u{1B}", 1),
        ("abc\u{0}def", "\u{0}", 4),
        ("del\u{7F}", "\u{7F}", 4),
        ("c1 \u{80}", "\u{80}", 4),
        ("csi \u{9B}31m", "\u{9B}", 5),
        ("next line\u{85}", "\u{85}", 10),
        ("bell\u{7}", "\u{7}", 5),
    ] as [(String, Unicode.Scalar, Int)])
    func findsTheFirstControlAndItsPosition(text: String, scalar: Unicode.Scalar, position: Int) {
        #expect(ControlCharacter.first(in: text) == ControlCharacter(scalar: scalar, position: position))
    }

    @Test(arguments: ["", "plain", "two\nlines", "crlf\r\nline", "tab\there", "é ü 日本 👋🏽 \u{A0}\u{A0}", "\u{2028}", "¢£¥ ÂÃ"])
    func allowsLineBreaksTabsAndOrdinaryText(_ text: String) {
        #expect(ControlCharacter.first(in: text) == nil)
    }

    @Test func positionCountsCharactersAsAPersonDoes() {
        // The family emoji is one character of seven scalars; the CR LF pair is one character too.
        let control = ControlCharacter.first(in: "👨‍👩‍👧‍👦 a\r\nb\u{1B}")
        #expect(control == ControlCharacter(scalar: "\u{1B}", position: 6))
        #expect(control?.description == "U+001B (ESC) at character 6")
    }

    @Test func namesControlsByCodePoint() {
        #expect(ControlCharacter(scalar: "\u{0}", position: 1).named == "U+0000 (NUL)")
        #expect(ControlCharacter(scalar: "\u{7F}", position: 1).named == "U+007F (DEL)")
        #expect(ControlCharacter(scalar: "\u{9B}", position: 1).named == "U+009B (a C1 control)")
    }

    @Test func escapingWritesControlsOutVisibly() {
        #expect(ControlCharacter.escaped("\u{1B}[31mred\u{1B}[0m", keepingLineFeeds: true) == #"\u{1B}[31mred\u{1B}[0m"#)
        #expect(ControlCharacter.escaped("a\u{0}b\u{7F}c\u{9B}d", keepingLineFeeds: true) == #"a\u{0}b\u{7F}c\u{9B}d"#)
        // A bare carriage return would let what follows overwrite the line: escaped even in a CR LF.
        #expect(ControlCharacter.escaped("one\r\ntwo\rthree", keepingLineFeeds: true) == "one\\u{D}\ntwo\\u{D}three")
        #expect(ControlCharacter.escaped("tab\there\nnext", keepingLineFeeds: false) == "tab\there\\u{A}next")
        #expect(ControlCharacter.escaped("nothing to do ✅", keepingLineFeeds: false) == "nothing to do ✅")
    }
}
