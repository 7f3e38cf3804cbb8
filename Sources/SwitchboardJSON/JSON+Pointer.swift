extension JSON {
    /// The value at an RFC 6901 pointer (`/messages/0/status`).
    package func value(at pointer: String) -> JSON? {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty ? self : nil }
        var current = self
        // Token by token: no list of tokens allocated for every look-up.
        var rest = pointer.utf8.dropFirst()
        while true {
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            let rawToken = rest[..<end]
            let token = rawToken.contains(UInt8(ascii: "~")) ? Self.unescape(rawToken) : String(Substring(rawToken))
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
            guard end < rest.endIndex else { return current }
            rest = rest[rest.index(after: end)...]
        }
    }

    /// RFC 6901 §4: `~1` is `/` and `~0` is `~`, read left to right, so `~01` is `~1`.
    private static func unescape(_ token: Substring.UTF8View) -> String {
        let bytes = Array(token)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "~"), index + 1 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "1") || bytes[index + 1] == UInt8(ascii: "0")
            {
                out.append(bytes[index + 1] == UInt8(ascii: "1") ? UInt8(ascii: "/") : UInt8(ascii: "~"))
                index += 2
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
