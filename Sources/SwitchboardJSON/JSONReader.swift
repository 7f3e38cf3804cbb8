/// A strict RFC 8259 reader: bytes in, a ``JSON`` value out.
///
/// Strict means: no trailing commas, no leading zeros, only the escapes the RFC names, no
/// unescaped control characters, well-formed UTF-8 only (no overlongs, no encoded surrogates),
/// unpaired `\u` surrogates refused, nothing but whitespace after the value, and a nesting limit
/// so hostile input cannot exhaust the stack. One leniency: a leading UTF-8 byte order mark is
/// skipped, as the RFC allows, because some providers' frameworks send one.
package enum JSONReader {
    /// Deep enough for any answer we read, shallow enough that the recursion stays small.
    package static let defaultMaximumDepth = 64

    package static func parse(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSON {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) -> JSON in try parse(buffer, maximumDepth: maximumDepth) }
        }.get()
    }

    package static func parse(_ text: String, maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSON {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONError) -> JSON in try parse(UnsafeRawBufferPointer(buffer), maximumDepth: maximumDepth) }
        }.get()
    }

    package static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = defaultMaximumDepth) throws(JSONError) -> JSON {
        var parser = Parser(bytes: bytes, maximumDepth: maximumDepth)
        return try parser.document()
    }
}

private struct Parser {
    let bytes: UnsafeRawBufferPointer
    let maximumDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func document() throws(JSONError) -> JSON {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        let result = try value()
        skipWhitespace()
        guard index == bytes.count else { throw JSONError(.trailingContent, at: index) }
        return result
    }

    // MARK: Values

    mutating func value() throws(JSONError) -> JSON {
        skipWhitespace()
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        case let byte:
            throw JSONError(.unexpectedByte(byte), at: index)
        }
    }

    mutating func object() throws(JSONError) -> JSON {
        try enter()
        index += 1
        var members = JSONObject()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte(bytes[index]), at: index) }
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            members.append(key, try value())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            case let byte:
                throw JSONError(.unexpectedByte(byte), at: index)
            }
        }
    }

    mutating func array() throws(JSONError) -> JSON {
        try enter()
        index += 1
        var items: [JSON] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try value())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            case let byte:
                throw JSONError(.unexpectedByte(byte), at: index)
            }
        }
    }

    mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= maximumDepth else { throw JSONError(.tooDeep, at: index) }
    }

    mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw JSONError(.unexpectedEnd, at: bytes.count) }
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw JSONError(.unexpectedByte(bytes[index + offset]), at: index + offset)
        }
        index += count
    }

    // MARK: Numbers

    /// The number's text, checked against the RFC grammar.
    mutating func number() throws(JSONError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw JSONError(.invalidNumber, at: start) }
        switch bytes[index] {
        case UInt8(ascii: "0"):
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw JSONError(.invalidNumber, at: start) }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            skipDigits()
        default:
            throw JSONError(.invalidNumber, at: start)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: start) }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: start) }
            skipDigits()
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // MARK: Strings

    /// The string that starts at the opening quote. Text without escapes is sliced straight out
    /// of the input; only text with escapes is copied through a scratch buffer.
    mutating func string() throws(JSONError) -> String {
        let start = index + 1
        var cursor = start
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                return try escapedString(start: start, firstEscape: cursor)
            } else if byte < 0x20 {
                throw JSONError(.controlCharacterInString, at: cursor)
            } else if byte < 0x80 {
                cursor += 1
            } else {
                cursor = try validateScalar(at: cursor)
            }
        }
        throw JSONError(.unexpectedEnd, at: cursor)
    }

    mutating func escapedString(start: Int, firstEscape: Int) throws(JSONError) -> String {
        var scratch: [UInt8] = []
        scratch.reserveCapacity(firstEscape - start + 16)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<firstEscape]))
        var cursor = firstEscape
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                cursor = try escape(at: cursor, into: &scratch)
            } else if byte < 0x20 {
                throw JSONError(.controlCharacterInString, at: cursor)
            } else if byte < 0x80 {
                scratch.append(byte)
                cursor += 1
            } else {
                let end = try validateScalar(at: cursor)
                scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[cursor..<end]))
                cursor = end
            }
        }
        throw JSONError(.unexpectedEnd, at: cursor)
    }

    /// Appends the escape at `cursor` (the backslash) and returns the offset after it.
    func escape(at cursor: Int, into scratch: inout [UInt8]) throws(JSONError) -> Int {
        guard cursor + 1 < bytes.count else { throw JSONError(.unexpectedEnd, at: cursor) }
        switch bytes[cursor + 1] {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(at: cursor + 2)
            var scalar = unit
            var end = cursor + 6
            if (0xD800...0xDBFF).contains(unit) {
                guard end + 1 < bytes.count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u") else {
                    throw JSONError(.loneSurrogate, at: cursor)
                }
                let low = try hex4(at: end + 2)
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONError(.loneSurrogate, at: cursor) }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                end += 6
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw JSONError(.loneSurrogate, at: cursor)
            }
            // Surrogates were excluded above, so the value is always a scalar.
            for byte in UTF8.encode(Unicode.Scalar(scalar)!)! { scratch.append(byte) }
            return end
        default:
            throw JSONError(.invalidEscape, at: cursor)
        }
        return cursor + 2
    }

    func hex4(at offset: Int) throws(JSONError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw JSONError(.unexpectedEnd, at: bytes.count) }
        var value: UInt32 = 0
        for position in offset..<offset + 4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidEscape, at: position)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence at `offset` (Unicode table 3-7) and returns the offset
    /// after it.
    func validateScalar(at offset: Int) throws(JSONError) -> Int {
        let lead = bytes[offset]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw JSONError(.invalidUTF8, at: offset)
        }
        guard offset + length <= bytes.count else { throw JSONError(.invalidUTF8, at: offset) }
        guard secondRange.contains(bytes[offset + 1]) else { throw JSONError(.invalidUTF8, at: offset) }
        for position in offset + 2..<offset + length where bytes[position] & 0xC0 != 0x80 {
            throw JSONError(.invalidUTF8, at: offset)
        }
        return offset + length
    }

    // MARK: Layout

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    mutating func expect(_ byte: UInt8) throws(JSONError) {
        guard try peek() == byte else { throw JSONError(.unexpectedByte(bytes[index]), at: index) }
        index += 1
    }
}
