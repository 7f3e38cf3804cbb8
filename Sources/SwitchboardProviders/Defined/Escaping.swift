/// Escaping for each place a value can go in a request. Every placeholder value passes through
/// exactly one of these, chosen by where the template sits, never by what the value looks like.
enum Escaping {
    /// RFC 3986 unreserved characters, the only ones left as they are in a URL component.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// A URL path segment or query component: everything but unreserved characters is %XX, so a
    /// value can add neither `/` nor `?`, `&` or `#`.
    static func urlComponent(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                appendPercentEncoded(byte, to: &bytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as `application/x-www-form-urlencoded` (HTML's serializer): space becomes `+`.
    static func appendFormComponent(_ value: String, to bytes: inout [UInt8]) {
        for byte in value.utf8 {
            if isUnreserved(byte) || byte == 0x2A {
                bytes.append(byte)
            } else if byte == 0x20 {
                bytes.append(0x2B)
            } else {
                appendPercentEncoded(byte, to: &bytes)
            }
        }
    }

    private static func appendPercentEncoded(_ byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(0x25)
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
    }

    /// The inside of a JSON string (RFC 8259): quote, backslash and control characters escaped.
    static func jsonString(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            // U+2028/2029 are valid JSON but end lines in JavaScript; escape them for any consumer.
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let digits = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// True when a header value cannot smuggle another header or end the head.
    static func isSafeHeaderValue(_ value: String) -> Bool {
        !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
    }
}
