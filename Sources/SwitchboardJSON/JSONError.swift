/// Why a document is not JSON, and the byte offset where the reader gave up.
package struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Reason: Sendable, Hashable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidEscape
        /// A `\u` escape of half a surrogate pair; such text has no UTF-8 form, so it is refused
        /// rather than silently replaced.
        case loneSurrogate
        case controlCharacterInString
        case invalidUTF8
        case tooDeep
        case trailingContent
    }

    package var reason: Reason
    package var offset: Int

    package init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    package var description: String {
        switch reason {
        case .unexpectedEnd: "the JSON ends too early"
        case .unexpectedByte(let byte): "unexpected byte 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .invalidNumber: "invalid number at offset \(offset)"
        case .invalidEscape: "invalid escape at offset \(offset)"
        case .loneSurrogate: "unpaired UTF-16 surrogate escape at offset \(offset)"
        case .controlCharacterInString: "unescaped control character in a string at offset \(offset)"
        case .invalidUTF8: "invalid UTF-8 at offset \(offset)"
        case .tooDeep: "nesting deeper than the limit at offset \(offset)"
        case .trailingContent: "content after the JSON value at offset \(offset)"
        }
    }
}
