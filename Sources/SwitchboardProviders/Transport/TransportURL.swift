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
    private var writtenHost: String { host.contains(":") ? "[\(host)]" : host }

    /// The connection this URL's requests may share.
    var connectionKey: ConnectionKey { ConnectionKey(isSecure: isSecure, host: host, port: port) }

    /// Splits an absolute `http` or `https` URL.
    /// - Throws: `TransportURLError` naming what is wrong; nothing is sent for such a URL.
    package init(parsing url: String) throws(TransportURLError) {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else {
            throw TransportURLError(problem: "does not start with http:// or https://")
        }
        let scheme = url[..<colon]
        let afterScheme = url[url.index(colon, offsetBy: 3)...]
        switch scheme.lowercased() {
        case "http": isSecure = false
        case "https": isSecure = true
        default: throw TransportURLError(problem: "has the scheme \"\(scheme)\"; only http and https are supported")
        }
        let withoutFragment = afterScheme.prefix { $0 != "#" }
        let authorityEnd = withoutFragment.firstIndex { $0 == "/" || $0 == "?" } ?? withoutFragment.endIndex
        let authority = withoutFragment[..<authorityEnd]
        let rest = withoutFragment[authorityEnd...]
        target = rest.first == "/" ? String(rest) : "/" + rest
        guard !authority.contains("@") else { throw TransportURLError(problem: "carries credentials in its address") }
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw TransportURLError(problem: "has an unclosed IPv6 address") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.first == ":" else { throw TransportURLError(problem: "has text after its IPv6 address") }
                portText = afterHost.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw TransportURLError(problem: "has no host") }
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw TransportURLError(problem: "has the port \"\(portText)\", which is not a number from 1 to 65535")
            }
            port = number
        } else {
            port = isSecure ? 443 : 80
        }
    }
}

/// The connections a request may reuse: the same scheme, host and port.
struct ConnectionKey: Hashable, Sendable {
    var isSecure: Bool
    var host: String
    var port: Int
}

/// What is wrong with a request's URL. It does not repeat the URL, which may carry a credential
/// in its query.
package struct TransportURLError: Error, CustomStringConvertible {
    var problem: String

    package var description: String { "the request's URL \(problem)" }
}
