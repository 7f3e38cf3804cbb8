/// Why XML was refused or an XPath query failed.
package enum XMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input has no bytes at all.
    case empty
    /// The input is larger than `XMLLimits.maxBytes`; it was not parsed.
    case tooLarge(byteCount: Int, limit: Int)
    /// The document has a DOCTYPE. SOAP forbids DTDs, and refusing them outright rules out entity expansion
    /// bombs and external (XXE) or parameter entities; the DTD is never read.
    case forbiddenDTD
    /// The input is not well-formed XML (including a wrong or unsupported encoding declaration).
    /// `message` is libxml2's, trimmed and shortened.
    case malformed(line: Int, message: String)
    /// The XPath expression is invalid, or uses a prefix missing from `namespaces`.
    case invalidXPath(expression: String, message: String)
    /// libxml2 could not allocate what it needed.
    case outOfMemory

    package var description: String {
        switch self {
        case .empty:
            "XML document is empty"
        case .tooLarge(let byteCount, let limit):
            "XML document is too large: \(byteCount) bytes, limit \(limit)"
        case .forbiddenDTD:
            "XML document has a DOCTYPE, which is not allowed (no DTDs or entity declarations)"
        case .malformed(let line, let message):
            "malformed XML at line \(line): \(message)"
        case .invalidXPath(let expression, let message):
            "invalid XPath '\(expression)': \(message)"
        case .outOfMemory:
            "out of memory while handling XML"
        }
    }
}

extension XMLError {
    /// libxml2 messages end with a newline and may quote the document; keep them to one bounded line.
    static func libxml2Message(_ raw: UnsafeMutablePointer<CChar>?, fallback: String) -> String {
        guard let raw else { return fallback }
        let trimmed = String(cString: raw).trimmingWhitespace()
        guard !trimmed.isEmpty else { return fallback }
        return trimmed.count > 200 ? String(trimmed.prefix(200)) + "…" : trimmed
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var trimmed = Substring(self)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        return String(trimmed)
    }
}
