/// Per-app lines added to OTP messages so the phone can fill the code in without the user typing it.
///
/// Values are trusted as given: the configuration parser checks them with `problem(withWebOTPDomain:)`
/// and `problem(withAndroidAppHash:)` before building this, and anyone else building one should too.
package struct OTPExtras: Sendable, Hashable {
    /// The host in the WebOTP line `@login.example.com #123456`, which lets a browser on that origin
    /// read the code (the WebOTP API); the line is always the message's last.
    package var webOTPDomain: String?
    /// The 11-character hash the Android SMS Retriever API matches to hand the message to the app;
    /// it gets a line of its own near the end, before any WebOTP line.
    package var androidAppHash: String?

    /// No extra lines.
    package static let none = OTPExtras()

    package init(webOTPDomain: String? = nil, androidAppHash: String? = nil) {
        self.webOTPDomain = webOTPDomain
        self.androidAppHash = androidAppHash
    }

    /// Why `domain` cannot go in a WebOTP line, or `nil` if it can.
    /// - Parameter domain: A host name such as `login.example.com`.
    /// - Returns: A message that says what to write instead.
    package static func problem(withWebOTPDomain domain: String) -> String? {
        let example = "such as login.example.com"
        if domain.contains("://") {
            return "'\(domain)' is a URL; write only the host name, \(example), without the scheme"
        }
        if let character = domain.first(where: { "/:?#@ ".contains($0) }) {
            return "'\(domain)' is not a host name ('\(character)' is not allowed); write only the host, \(example), without port, path or '@'"
        }
        if !domain.allSatisfy(\.isASCII) {
            return "'\(domain)' has non-ASCII characters; write an internationalised domain name in its punycode form (xn--...)"
        }
        if domain.utf8.count > 253 {
            return "'\(domain)' is longer than the 253 characters a host name may have"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if label.isEmpty {
                return "'\(domain)' has an empty label (a dot at the start or end, or two dots in a row); write a host name \(example)"
            }
            if label.utf8.count > 63 {
                return "'\(domain)' has a label longer than 63 characters ('\(label.prefix(20))...')"
            }
            if let character = label.first(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) {
                return "'\(domain)' contains '\(character)'; a host name has only letters, digits, hyphens and dots"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") {
                return "'\(domain)' has a label that starts or ends with '-', which host names may not"
            }
        }
        if let last = labels.last, last.allSatisfy(\.isNumber) {
            return "'\(domain)' looks like an IP address; WebOTP needs the site's domain name, \(example)"
        }
        return nil
    }

    /// Why `hash` is not an Android SMS Retriever app hash, or `nil` if it is one.
    /// - Parameter hash: The hash, as Play services computes it from the app's package name and signing key.
    /// - Returns: A message that says what is wrong.
    package static func problem(withAndroidAppHash hash: String) -> String? {
        let rule = "an Android app hash is exactly 11 characters of A-Z, a-z, 0-9, '+' and '/'"
        if let character = hash.first(where: { !isBase64Character($0) }) {
            return "'\(hash)' contains '\(character)'; \(rule)"
        }
        if hash.count != 11 {
            return "'\(hash)' has \(hash.count) characters; \(rule)"
        }
        return nil
    }

    private static func isBase64Character(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        return character.isLetter || character.isNumber || character == "+" || character == "/"
    }
}
