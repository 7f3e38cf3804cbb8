/// Writes compact JSON straight into a byte array, with no intermediate tree.
///
/// Commas are placed automatically: call `beginObject`, then `key` and a value for each member,
/// then `endObject`. Escaping is what Foundation's `JSONSerialization` does with
/// `.withoutEscapingSlashes`: quote, backslash and control characters only, so answers stay
/// byte-for-byte what they were before this writer replaced it.
package struct JSONWriter: Sendable {
    package private(set) var bytes: [UInt8]
    /// Whether the next value or key follows a sibling and needs a comma first.
    private var needsComma = false

    package init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    package mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's name; the next value written is its value.
    package mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Scalars

    package mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    package mutating func number(_ value: some BinaryInteger) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    /// A double as Foundation's `JSONEncoder` writes it: Swift's shortest round-trip form, without
    /// a trailing `.0` (`12`, `0.5`, `1e-05`). JSON has no NaN or infinity; they become `null`.
    package mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        separate()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    /// A number already in JSON form, such as one read by ``JSONReader``; it is not checked.
    package mutating func number(literal: String) {
        separate()
        bytes.append(contentsOf: literal.utf8)
        needsComma = true
    }

    package mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    // MARK: Members

    package mutating func member(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    /// The member, with `null` for nil. (`JSONEncoder` leaves nil fields out; callers that answer
    /// as it did skip the call instead.)
    package mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        if let value { string(value) } else { null() }
    }

    package mutating func member(_ key: String, _ value: Int) {
        self.key(key)
        number(value)
    }

    package mutating func member(_ key: String, _ value: Double) {
        self.key(key)
        number(value)
    }

    package mutating func member(_ key: String, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    // MARK: Trees

    /// Writes a whole value, each object's members in the order they have.
    package mutating func value(_ value: JSON) {
        switch value {
        case .object(let object):
            beginObject()
            for (key, member) in object {
                self.key(key)
                self.value(member)
            }
            endObject()
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        default:
            scalar(value)
        }
    }

    /// Writes a whole value with every object's members sorted by name, for output that is the same
    /// on every run. Of members that share a name only the last is written, as a dictionary holds.
    /// - Parameters:
    ///   - areInIncreasingOrder: The name order, such as `<` (Unicode order).
    package mutating func value(_ value: JSON, sortingKeysBy areInIncreasingOrder: (String, String) -> Bool) {
        switch value {
        case .object(let object):
            beginObject()
            // The sort is stable, so of members with one name the last comes last in its run.
            let sorted = object.sorted { areInIncreasingOrder($0.key, $1.key) }
            for (offset, (key, member)) in sorted.enumerated() where offset + 1 == sorted.count || sorted[offset + 1].key != key {
                self.key(key)
                self.value(member, sortingKeysBy: areInIncreasingOrder)
            }
            endObject()
        case .array(let items):
            beginArray()
            for item in items { self.value(item, sortingKeysBy: areInIncreasingOrder) }
            endArray()
        default:
            scalar(value)
        }
    }

    private mutating func scalar(_ value: JSON) {
        switch value {
        case .string(let text): string(text)
        case .number(let literal): number(literal: literal)
        case .bool(let flag): bool(flag)
        case .null, .object, .array: null()
        }
    }

    // MARK: Escaping

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Copy runs of bytes that need no escape in one go; most text is one run.
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                appendEscape(byte)
                runStart = offset + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            hex.withUTF8Buffer { digits in
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0xF)])
            }
        }
    }
}
