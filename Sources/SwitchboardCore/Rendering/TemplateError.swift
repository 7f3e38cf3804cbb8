/// Why a message template could not be parsed, and where.
package struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in a form callers and tests can match on.
    package enum Reason: Sendable, Hashable {
        /// `{name}` where `name` is not a `TemplatePlaceholder`; `suggestion` is set for a likely typo.
        case unknownPlaceholder(String, suggestion: TemplatePlaceholder?)
        /// A `{` with no `}` before the next `{` or the end.
        case unclosedBrace
        /// A `}` that closes nothing and is not doubled.
        case unmatchedClosingBrace
        /// `{}`.
        case emptyPlaceholder
        /// A control character other than line feed, carriage return and tab, which no message may carry.
        case controlCharacter(ControlCharacter)
    }

    package let reason: Reason
    /// Zero-based offset, in characters, of the brace that starts the problem.
    package let offset: Int

    package init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// What is wrong and how to fix it, without the position.
    package var message: String {
        switch reason {
        case .unknownPlaceholder(let name, let suggestion):
            let hint = suggestion.map { "did you mean \($0.token)? " } ?? ""
            return "unknown placeholder {\(name)}; \(hint)known placeholders are \(Self.known) (write {{ and }} for literal braces)"
        case .unclosedBrace:
            return "'{' is never closed; end the placeholder with '}', or write '{{' for a literal '{'"
        case .unmatchedClosingBrace:
            return "'}' has no '{' before it; write '}}' for a literal '}'"
        case .emptyPlaceholder:
            return "empty placeholder {}; known placeholders are \(Self.known) (write {{}} for literal braces)"
        case .controlCharacter(let control):
            return "the control character \(control.named) cannot be sent; remove it (line breaks and tabs are the only controls a message may carry)"
        }
    }

    package var description: String {
        "\(message) (at character \(offset + 1) of the template)"
    }

    private static let known = TemplatePlaceholder.allCases.map(\.token).joined(separator: ", ")
}
