import SwitchboardXML
import Testing

extension XMLTests {
    @Suite struct XMLEscapingTests {
        @Test func escapesMarkup() {
            #expect(XMLEscaping.text(#"a & b < c > d " e ' f ]]> g %"#)
                == "a &amp; b &lt; c &gt; d &quot; e &apos; f ]]&gt; g %")
            #expect(XMLEscaping.attribute("x\ty\nz\r") == "x&#9;y&#10;z&#13;")
            #expect(XMLEscaping.text("x\ty\nz\r") == "x\ty\nz&#13;")
        }

        @Test(arguments: [
            #"& < > " ' ]]> %"#,
            "line one\nline two\r\nline three\rend\ttab",
            "Ünïcödé 🚀 👩‍👩‍👧 — 日本語 \u{85}\u{2028}",
            "]]>]]>&amp;&lt;<![CDATA[x]]>",
            "  leading and trailing spaces  ",
            "%p; &xxe; &#0; &#x41;",
        ])
        func roundTrips(_ original: String) throws {
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <m a="\(XMLEscaping.attribute(original))" b='\(XMLEscaping.attribute(original))'>\
                \(XMLEscaping.text(original))</m>
                """
            let document = try SafeXMLDocument(parsing: xml)
            #expect(try document.string(at: "/m") == original)
            #expect(try document.string(at: "/m/@a") == original)
            #expect(try document.string(at: "/m/@b") == original)
        }

        @Test func dropsCharactersXMLCannotCarry() throws {
            let original = "a\u{0}b\u{1B}c\u{7}d\u{FFFE}e\u{FFFF}f\u{7F}"
            #expect(!XMLEscaping.isRepresentable(original))
            #expect(XMLEscaping.isRepresentable("tab\tnewline\n🚀\u{7F}"))
            #expect(XMLEscaping.text(original) == "abcdef\u{7F}")
            #expect(XMLEscaping.attribute(original) == "abcdef\u{7F}")
            let document = try SafeXMLDocument(parsing: "<m>\(XMLEscaping.text(original))</m>")
            #expect(try document.string(at: "/m") == "abcdef\u{7F}")
        }
    }
}
