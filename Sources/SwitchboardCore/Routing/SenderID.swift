/// The "from" of an SMS: an alphanumeric name, a phone number in E.164 form, or a short code.
package enum SenderID: Sendable, Hashable, CustomStringConvertible {
    /// A name such as `ACME`: at most 11 characters of `A-Z a-z 0-9` and space, at least one letter.
    case alphanumeric(String)
    /// A long number in E.164 form, such as `+14155550100`.
    case phoneNumber(String)
    /// A short code: 3 to 8 digits.
    case shortCode(String)

    package var description: String {
        switch self {
        case .alphanumeric(let text), .phoneNumber(let text), .shortCode(let text): text
        }
    }

    package var isAlphanumeric: Bool {
        if case .alphanumeric = self { return true }
        return false
    }

    /// Countries whose networks refuse alphanumeric senders.
    package static let countriesRefusingAlphanumeric: Set<String> = ["US", "CA", "PR", "VI", "GU", "AS", "MP"]

    /// Classifies and checks a sender as written in configuration or an API call.
    /// - Throws: `SenderIDError` saying what rule the text breaks.
    package init(parsing text: String) throws(SenderIDError) {
        if text.isEmpty { throw .empty }
        if text.first == "+" {
            let digits = text.dropFirst()
            guard digits.allSatisfy(\.isASCIIDigit), (8...15).contains(digits.count) else {
                throw .invalidPhoneNumber(text)
            }
            self = .phoneNumber(text)
            return
        }
        if text.allSatisfy(\.isASCIIDigit) {
            guard (3...8).contains(text.count) else { throw .alphanumericWithoutLetter(text) }
            self = .shortCode(text)
            return
        }
        if let bad = text.first(where: { !($0.isASCIILetter || $0.isASCIIDigit || $0 == " ") }) {
            throw .alphanumericBadCharacter(text, bad)
        }
        if text.count > 11 { throw .alphanumericTooLong(text) }
        if !text.contains(where: \.isASCIILetter) { throw .alphanumericWithoutLetter(text) }
        self = .alphanumeric(text)
    }
}

/// Why a sender id was refused.
package enum SenderIDError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case invalidPhoneNumber(String)
    case alphanumericTooLong(String)
    case alphanumericWithoutLetter(String)
    case alphanumericBadCharacter(String, Character)

    package var description: String {
        switch self {
        case .empty:
            "the sender is empty; give an alphanumeric name (up to 11 characters), an E.164 number or a short code"
        case .invalidPhoneNumber(let text):
            "sender \"\(text)\" starts with + but is not an E.164 number (+ and 8 to 15 digits)"
        case .alphanumericTooLong(let text):
            "alphanumeric sender \"\(text)\" has \(text.count) characters; the limit is 11"
        case .alphanumericWithoutLetter(let text):
            "sender \"\(text)\" has no letter: an alphanumeric sender needs at least one, and a short code has 3 to 8 digits"
        case .alphanumericBadCharacter(let text, let character):
            "alphanumeric sender \"\(text)\" contains \"\(character)\"; only A-Z, a-z, 0-9 and space are allowed"
        }
    }
}

extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
    package var isASCIILetter: Bool { isASCII && isLetter }
}
