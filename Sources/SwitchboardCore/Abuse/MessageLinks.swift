/// Finds links in a message text, so that a custom OTP message cannot carry a phishing link.
///
/// A link is a word with `://`, a word starting `www.`, or a bare domain name (`evil.example/x`):
/// dot-separated labels whose last one is at least two letters. Short abbreviations such as
/// `e.g.` are not domains; a word like `acme.co` always is, whatever it was meant as.
package enum MessageLinks {
    /// The host of every link in `text`, lowercased, in order.
    package static func hosts(in text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).compactMap { host(of: $0) }
    }

    /// Whether `host` is one of `domains` or a subdomain of one.
    package static func isAllowed(host: String, domains: [String]) -> Bool {
        domains.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    static func host(of word: Substring) -> String? {
        var rest = word.drop(while: { !$0.isLetter && !$0.isNumber })
        var explicit = false
        if let scheme = rest.firstRange(of: "://") {
            rest = rest[scheme.upperBound...]
            explicit = true
        }
        var host = rest.prefix(while: { !"/?#:".contains($0) })
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        host = host.drop(while: { !$0.isLetter && !$0.isNumber })
        while let last = host.last, !last.isLetter, !last.isNumber { host = host.dropLast() }
        let lowered = host.lowercased()
        if lowered.hasPrefix("www.") { explicit = true }
        let labels = lowered.split(separator: ".", omittingEmptySubsequences: false)
        let isDomain = labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
            && (labels.last.map { $0.count >= 2 && $0.allSatisfy(\.isLetter) } ?? false)
        if isDomain { return lowered }
        return explicit && !lowered.isEmpty ? lowered : nil
    }
}
