import Foundation
import SwitchboardXML
import Testing

extension XMLTests {
    /// Input a hostile or broken provider might send. Everything here must be refused with its exact error,
    /// before the dangerous part is read, with nothing read from disk or network.
    @Suite struct HostileXMLTests {
        static let billionLaughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <lolz>&lol9;</lolz>
            """

        @Test func refusesBillionLaughs() {
            #expect(throws: XMLError.forbiddenDTD) { try SafeXMLDocument(parsing: Self.billionLaughs) }
        }

        @Test func refusesBillionLaughsBeforeReadingItsEntityDeclarations() throws {
            // Cut inside the first declaration and followed by garbage: were the DTD read at all, the
            // parser would report it malformed; refused as a DTD, it stopped at the DOCTYPE's name, so no
            // entity was ever declared, let alone expanded, however fast or slow the machine.
            let declarations = try #require(Self.billionLaughs.range(of: "<!ENTITY lol "))
            let cut = String(Self.billionLaughs[..<declarations.upperBound]) + "\"lol<<<&&&"
            #expect(throws: XMLError.forbiddenDTD) { try SafeXMLDocument(parsing: cut) }
        }

        @Test(arguments: [
            // A general external entity expanded in content (classic XXE).
            #"<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>"#,
            // The same in an attribute-free SOAP body.
            #"""
            <?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
            <OverallStatus>&xxe;</OverallStatus></soap:Body></soap:Envelope>
            """#,
            // A parameter entity, which would be expanded inside the DTD itself.
            #"<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><r/>"#,
            // Out-of-band exfiltration through a parameter entity and a remote DTD.
            #"<!DOCTYPE r [<!ENTITY % f SYSTEM "file:///etc/passwd"><!ENTITY % d SYSTEM "http://127.0.0.1:9/x.dtd"> %d;]><r/>"#,
            // An external DTD subset.
            #"<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>"#,
            // Even an empty DOCTYPE: SOAP has no DTDs.
            "<!DOCTYPE r><r/>",
            "<!-- c -->\n<!DOCTYPE r []><r/>",
        ])
        func refusesAnyDTD(_ input: String) throws {
            // The exact error, which carries nothing of the input: no file's content can leak through it.
            #expect(throws: XMLError.forbiddenDTD) { try SafeXMLDocument(parsing: input) }
        }

        @Test func refusesDTDInUTF16() {
            // The DOCTYPE check runs inside the parser, so another encoding cannot hide it.
            let text = #"<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>"#
            let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            #expect(throws: XMLError.forbiddenDTD) { try SafeXMLDocument(parsing: bytes) }
        }

        @Test func undeclaredEntityIsMalformedAndReadsNothing() throws {
            let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
            let firstLine = String(passwd.prefix { $0 != "\n" })
            let error = #expect(throws: XMLError.self) { try SafeXMLDocument(parsing: "<r>&xxe;</r>") }
            guard case .malformed(_, let message) = error else {
                Issue.record("expected malformed, got \(String(describing: error))")
                return
            }
            #expect(!firstLine.isEmpty && !message.contains(firstLine))
        }

        @Test func refusesOversizedBodyWithoutParsing() {
            // Well-formed start, garbage after: were it parsed, the error would be `.malformed`.
            let size = 50 * 1024 * 1024
            var body = [UInt8](repeating: UInt8(ascii: "<"), count: size)
            body.replaceSubrange(0..<3, with: "<r>".utf8)
            #expect(throws: XMLError.tooLarge(byteCount: size, limit: 1 << 20)) { try SafeXMLDocument(parsing: body) }
        }

        @Test func limitIsConfigurable() throws {
            let input = "<r>0123456789</r>"
            #expect(throws: XMLError.tooLarge(byteCount: 17, limit: 16)) {
                try SafeXMLDocument(parsing: input, limits: XMLLimits(maxBytes: 16))
            }
            _ = try SafeXMLDocument(parsing: input, limits: XMLLimits(maxBytes: 17))
        }

        @Test func refusesMalformed() {
            let error = #expect(throws: XMLError.self) {
                try SafeXMLDocument(parsing: "<a>\n  <b>\n</a>")
            }
            guard case .malformed(let line, let message) = error else {
                Issue.record("expected malformed, got \(String(describing: error))")
                return
            }
            #expect(line == 3)
            #expect(message.contains("mismatch"))
            #expect(!message.hasSuffix("\n"))
        }

        @Test(arguments: [
            // UTF-8 bytes labelled UTF-16.
            Array(#"<?xml version="1.0" encoding="UTF-16"?><a/>"#.utf8),
            // An encoding libxml2 does not know.
            Array(#"<?xml version="1.0" encoding="x-no-such-charset"?><a/>"#.utf8),
            // Bytes that are not UTF-8, labelled UTF-8.
            Array(#"<?xml version="1.0" encoding="UTF-8"?><a>"#.utf8) + [0xC3, 0x28, 0xFF] + Array("</a>".utf8),
        ])
        func refusesWrongEncoding(_ bytes: [UInt8]) {
            let error = #expect(throws: XMLError.self) { try SafeXMLDocument(parsing: bytes) }
            guard case .malformed = error else {
                Issue.record("expected malformed, got \(String(describing: error))")
                return
            }
        }

        @Test func refusesEmptyInput() {
            #expect(throws: XMLError.empty) { try SafeXMLDocument(parsing: [UInt8]()) }
            #expect(throws: XMLError.empty) { try SafeXMLDocument(parsing: "") }
            let error = #expect(throws: XMLError.self) { try SafeXMLDocument(parsing: "  \n") }
            guard case .malformed = error else {
                Issue.record("expected malformed, got \(String(describing: error))")
                return
            }
        }

        @Test func errorsDescribeThemselves() {
            #expect(XMLError.tooLarge(byteCount: 5, limit: 4).description == "XML document is too large: 5 bytes, limit 4")
            #expect(XMLError.malformed(line: 3, message: "boom").description == "malformed XML at line 3: boom")
            #expect(XMLError.forbiddenDTD.description.contains("DOCTYPE"))
        }
    }
}
