import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a URL Switchboard will POST to: an app's webhook, or a Twilio `StatusCallback` a caller gave.
///
/// A callback URL from a request is an SSRF risk: it would make the daemon call hosts inside its
/// own network. Literal addresses are checked here; a host name is not resolved, so a name that
/// resolves to a private address is not caught (see README "Webhooks").
package enum CallbackURL {
    /// Why a URL is refused.
    package enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed
        /// Not `http` or `https`, or `http` where `https` is needed.
        case scheme(String)
        /// A loopback, private, link-local or unspecified address, or `localhost`.
        case privateHost(String)
        /// A numeric host written in a form other than four decimal parts (`127.1`, `0x7f.0.0.1`),
        /// which resolvers read as an address.
        case unusualAddress(String)

        package var description: String {
            switch self {
            case .malformed: "is not an absolute http(s) URL with a host"
            case .scheme(let scheme): "uses \(scheme); use https"
            case .privateHost(let host): "points at \(host), a loopback, private or link-local address"
            case .unusualAddress(let host): "has the host \(host), a numeric address in an unusual form; write it as four decimal parts"
            }
        }
    }

    /// - Parameters:
    ///   - httpsUnlessLoopback: `http` is allowed only to a loopback host.
    ///   - allowPrivate: Loopback, private and link-local hosts are allowed.
    /// - Returns: The problem, or `nil` when the URL may be called.
    package static func check(_ text: String, httpsUnlessLoopback: Bool, allowPrivate: Bool) -> Problem? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            var host = components.host, !host.isEmpty
        else { return .malformed }
        guard scheme == "http" || scheme == "https" else { return .scheme(scheme) }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        host = host.lowercased()
        if looksNumeric(host) && ipv4(host) == nil { return .unusualAddress(host) }
        let loopback = isLoopback(host)
        if httpsUnlessLoopback && scheme == "http" && !loopback { return .scheme(scheme) }
        if !allowPrivate && (loopback || isPrivate(host)) { return .privateHost(host) }
        return nil
    }

    /// `localhost` (and names under it), `127.0.0.0/8`, `::1`.
    package static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        if let bytes = ipv4(host) { return bytes[0] == 127 }
        if let bytes = ipv6(host) {
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            if let mapped = mappedIPv4(bytes) { return mapped[0] == 127 }
        }
        return false
    }

    /// Private, shared, link-local, unspecified and multicast ranges (v4 and v6).
    package static func isPrivate(_ host: String) -> Bool {
        if let bytes = ipv4(host) { return isPrivateIPv4(bytes) }
        if let bytes = ipv6(host) {
            if let mapped = mappedIPv4(bytes) { return isPrivateIPv4(mapped) || mapped[0] == 127 }
            if bytes.allSatisfy({ $0 == 0 }) { return true }
            if bytes[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
            if bytes[0] == 0xFF { return true }  // multicast
        }
        return false
    }

    private static func isPrivateIPv4(_ b: [UInt8]) -> Bool {
        b[0] == 0 || b[0] == 10 || (b[0] == 172 && (16...31).contains(b[1])) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (64...127).contains(b[1])) || b[0] >= 224
    }

    /// Only digits and dots, or a `0x` start: what `inet_aton` would read as an address.
    private static func looksNumeric(_ host: String) -> Bool {
        host.hasPrefix("0x") || host.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber }
    }

    /// Four decimal parts of 0–255, without leading zeros.
    static func ipv4(_ host: String) -> [UInt8]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv6(_ host: String) -> [UInt8]? {
        guard host.contains(":") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// The IPv4 address of `::ffff:a.b.c.d`.
    private static func mappedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return nil }
        return Array(bytes[12..<16])
    }
}
