/// Escapes text for XML 1.0 documents built by hand, such as SOAP envelopes.
///
/// Characters XML 1.0 cannot carry at all (C0 controls other than tab, line feed and carriage return, and
/// U+FFFE/U+FFFF) are **dropped**: not even a character reference can represent them, and an envelope
/// builder should not fail half-way. Callers that must refuse such input (an API taking message text)
/// check `isRepresentable(_:)` first. Swift strings cannot hold lone surrogates, the other invalid case.
package enum XMLEscaping {
    /// Escapes character data for element content.
    ///
    /// `& < > " '` become entity references (`>` makes `]]>` safe) and carriage return becomes `&#13;` so
    /// parsers do not fold `\r\n` into `\n`.
    /// - Parameter text: The text to put between tags.
    /// - Returns: The escaped text.
    package static func text(_ text: String) -> String {
        escape(text, whitespace: false)
    }

    /// Escapes an attribute value, for use inside either `"` or `'`.
    ///
    /// Like `text(_:)`, and also tab, line feed and carriage return become character references, since
    /// attribute-value normalization would otherwise turn them into spaces.
    /// - Parameter value: The attribute value.
    /// - Returns: The escaped value, without quotes.
    package static func attribute(_ value: String) -> String {
        escape(value, whitespace: true)
    }

    /// Whether every character of `text` can appear in an XML 1.0 document.
    /// - Parameter text: The text to check.
    /// - Returns: `false` if escaping would drop characters.
    package static func isRepresentable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isXMLChar)
    }

    private static func escape(_ text: String, whitespace: Bool) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\r": escaped += "&#13;"
            case "\n" where whitespace: escaped += "&#10;"
            case "\t" where whitespace: escaped += "&#9;"
            case _ where !isXMLChar(scalar): continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// XML 1.0 `Char`: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
    private static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
