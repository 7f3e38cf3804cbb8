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
