/// A control character in message text: a C0 control, DEL or a C1 control, other than line feed,
/// carriage return and tab.
///
/// A message may not carry one: phones show them as boxes or drop them, providers refuse or mangle
/// them, and a terminal that prints a stored message obeys them (`ESC[31m` recolours it, a bare
/// carriage return lets later text hide earlier text). Every text that can become a message is
/// checked with ``first(in:)``, and every stored text a person reads is printed through
/// ``escaped(_:keepingLineFeeds:)``, because rows written before the check may still hold them.
package struct ControlCharacter: Sendable, Hashable, CustomStringConvertible {
    package let scalar: Unicode.Scalar
    /// Where it is, counted in characters from 1, as a person counts them.
    package let position: Int

    package init(scalar: Unicode.Scalar, position: Int) {
        self.scalar = scalar
        self.position = position
    }

    /// The first control character `text` may not carry, or `nil` when it has none.
    package static func first(in text: String) -> ControlCharacter? {
        // Most texts have none, and the bytes say so without decoding a character.
        guard text.utf8.containsForbiddenControl else { return nil }
        var position = 0
        for character in text {
            position += 1
            // A control character is a grapheme of its own (or CR LF), so its place is exact.
            if let scalar = character.unicodeScalars.first(where: isForbidden) {
                return ControlCharacter(scalar: scalar, position: position)
            }
        }
        return nil
    }

    /// Whether `scalar` is a control character a message may not carry.
    package static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// `text` with every control character written out as `\u{1B}`, so that printing it cannot
    /// move the cursor, recolour a terminal or hide what came before. Tabs stay as they are.
    /// - Parameters:
    ///   - text: Stored text, which may predate the check on new messages.
    ///   - keepingLineFeeds: Keep line feeds (text printed over several lines); otherwise they are
    ///     escaped too, for a value printed on one line.
    package static func escaped(_ text: String, keepingLineFeeds: Bool) -> String {
        func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "\t": false
            case "\n": !keepingLineFeeds
            case "\r": true
            default: isForbidden(scalar)
            }
        }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                escaped.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// `U+001B`.
    package var codePoint: String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `U+001B (ESC)`.
    package var named: String {
        "\(codePoint) (\(abbreviation))"
    }

    /// `U+001B (ESC) at character 5`.
    package var description: String {
        "\(named) at character \(position)"
    }

    /// The control's usual abbreviation, such as `ESC`.
    private var abbreviation: String {
        switch scalar.value {
        case 0x00..<0x20: Self.c0Names[Int(scalar.value)]
        case 0x7F: "DEL"
        default: "a C1 control"
        }
    }

    private static let c0Names = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
        "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ]
}

extension String.UTF8View {
    /// Whether the bytes hold a control character a message may not carry: a C0 byte other than
    /// tab, line feed and carriage return, DEL, or a C1 control (`C2 80` to `C2 9F` in UTF-8).
    fileprivate var containsForbiddenControl: Bool {
        var previous: UInt8 = 0
        for byte in self {
            switch byte {
            case 0x09, 0x0A, 0x0D: break
            case 0x00..<0x20, 0x7F: return true
            case 0x80...0x9F where previous == 0xC2: return true
            default: break
            }
            previous = byte
        }
        return false
    }
}
