/// Where a provider request goes, split once from its URL: the connection it needs (scheme, host,
/// port) and what the request line and `Host` header say.
package struct TransportURL: Sendable, Equatable {
    package var isSecure: Bool
    /// The host as it is connected to: a name, or an IP address without brackets.
    package var host: String
    package var port: Int
    /// The path and query, percent-encoded as given: the request line's target.
    package var target: String

    /// The `Host` header: the port is named only when it is not the scheme's own.
    package var hostHeader: String {
        port == (isSecure ? 443 : 80) ? writtenHost : hostAndPort
    }

    /// `HOST:PORT`, the port always named, as a connection's target is told in messages.
    var hostAndPort: String { "\(writtenHost):\(port)" }

    /// The host as a URL writes it: an IPv6 address in brackets.
    private var writtenHost: String { host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host }

    /// The connection this URL's requests may share, when they offer HTTP/2 or not.
    func connectionKey(offersHTTP2: Bool) -> ConnectionKey {
        ConnectionKey(isSecure: isSecure, host: host, port: port, offersHTTP2: isSecure && offersHTTP2)
    }

    /// Splits an absolute `http` or `https` URL.
    ///
    /// Every send's URL is split, so it is read as UTF-8 bytes: all its delimiters are ASCII.
    /// - Throws: `TransportURLError` naming what is wrong; nothing is sent for such a URL.
    package init(parsing url: String) throws(TransportURLError) {
        let bytes = url.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) else {
            throw TransportURLError(problem: "does not start with http:// or https://")
        }
        let scheme = bytes[..<colon]
        if scheme.elementsEqual("http".utf8, by: Self.sameLetter) {
            isSecure = false
        } else if scheme.elementsEqual("https".utf8, by: Self.sameLetter) {
            isSecure = true
        } else {
            throw TransportURLError(problem: "has the scheme \"\(Self.text(scheme))\"; only http and https are supported")
        }
        let afterScheme = bytes[bytes.index(colon, offsetBy: 3)...]
        let withoutFragment = afterScheme.prefix { $0 != UInt8(ascii: "#") }
        let authorityEnd = withoutFragment.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? withoutFragment.endIndex
        let authority = withoutFragment[..<authorityEnd]
        let rest = withoutFragment[authorityEnd...]
        target = rest.first == UInt8(ascii: "/") ? Self.text(rest) : "/" + Self.text(rest)
        guard !authority.contains(UInt8(ascii: "@")) else { throw TransportURLError(problem: "carries credentials in its address") }
        var portText: Substring.UTF8View?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw TransportURLError(problem: "has an unclosed IPv6 address") }
            host = Self.text(authority[authority.index(after: authority.startIndex)..<close])
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.first == UInt8(ascii: ":") else { throw TransportURLError(problem: "has text after its IPv6 address") }
                portText = afterHost.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            host = Self.text(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = Self.text(authority)
        }
        guard !host.isEmpty else { throw TransportURLError(problem: "has no host") }
        if let portText {
            guard let number = Self.port(portText) else {
                throw TransportURLError(problem: "has the port \"\(Self.text(portText))\", which is not a number from 1 to 65535")
            }
            port = number
        } else {
            port = isSecure ? 443 : 80
        }
    }

    private static func text(_ bytes: Substring.UTF8View) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Equal ASCII letters in either case, as a URL's scheme is compared.
    private static func sameLetter(_ byte: UInt8, _ lowercase: UInt8) -> Bool {
        byte | 0x20 == lowercase
    }

    /// Decimal digits naming a port from 1 to 65535; `nil` for anything else.
    private static func port(_ digits: Substring.UTF8View) -> Int? {
        guard !digits.isEmpty else { return nil }
        var number = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit), number <= 65_535 else { return nil }
            number = number * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return (1...65_535).contains(number) ? number : nil
    }
}

/// The connections a request may reuse: the same scheme, host and port, and for `https`, the same
/// protocols offered in the handshake.
struct ConnectionKey: Hashable, Sendable {
    var isSecure: Bool
    var host: String
    var port: Int
    var offersHTTP2: Bool
}

/// What is wrong with a request's URL. It does not repeat the URL, which may carry a credential
/// in its query.
package struct TransportURLError: Error, CustomStringConvertible {
    var problem: String

    package var description: String { "the request's URL \(problem)" }
}
