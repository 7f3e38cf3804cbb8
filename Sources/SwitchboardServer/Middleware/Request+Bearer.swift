import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardCore

extension Request {
    /// The credential of an `Authorization: Bearer …` header, blanks around it trimmed; `nil`
    /// without such a header. Worked on as bytes: it runs on every authenticated request, and
    /// lowercasing or trimming a whole token as a `String` costs more than the rest of the check.
    var bearerCredential: Substring.UTF8View.SubSequence? {
        let scheme = "bearer ".utf8
        guard let header = headers[.authorization], header.utf8.prefix(scheme.count).equalsIgnoringASCIICase(scheme) else {
            return nil
        }
        return Substring(header).utf8.dropFirst(scheme.count).trimmingASCIIBlanks()
    }
}

extension Request {
    /// The user and password of an `Authorization: Basic …` header (RFC 7617); `nil` without one,
    /// or when it is not base64 of `USER:PASSWORD`.
    var basicCredentials: (user: String, password: String)? {
        let scheme = "basic ".utf8
        guard let header = headers[.authorization], header.utf8.prefix(scheme.count).equalsIgnoringASCIICase(scheme),
            let decoded = Data(base64Encoded: String(header.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces))
        else {
            return nil
        }
        let text = String(decoding: decoded, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
