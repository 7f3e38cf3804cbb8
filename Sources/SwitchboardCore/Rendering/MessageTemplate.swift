/// A message with placeholders such as `{otp}`, parsed once (at configuration load) and rendered per message.
///
/// Syntax: `{app}`, `{otp}` and `{minutes}` are replaced by `TemplateValues`; `{{` and `}}` stand for
/// literal braces. Anything else between braces is an error at parse time, so a typo in
/// `config.yaml` is reported at startup instead of reaching a phone.
package struct MessageTemplate: Sendable, Hashable {
    /// One run of a parsed template.
    package enum Part: Sendable, Hashable {
        /// Text copied as it is (doubled braces already undoubled).
        case literal(String)
        case placeholder(TemplatePlaceholder)
    }

    /// The template as written.
    package let source: String
    /// The template as literal runs and placeholders, in order; adjacent literals are merged.
    package let parts: [Part]
    /// Every placeholder the template uses; each needs a value to render.
    package let placeholders: Set<TemplatePlaceholder>
    /// UTF-8 bytes of all literal runs, so rendering reserves its buffer once.
    private let literalByteCount: Int

    /// - Parameter source: The template text.
    /// - Throws: `TemplateError` for an unknown or empty placeholder, an unclosed `{`, or a lone `}`,
    ///   with the character offset of the offending brace; or for a control character, with its offset.
    package init(parsing source: String) throws(TemplateError) {
        // Refused here too, not only when rendered: the offset then points into the template as
        // its author wrote it, before values moved the text along.
        if let control = ControlCharacter.first(in: source) {
            throw TemplateError(.controlCharacter(control), offset: control.position - 1)
        }
        let characters = Array(source)
        var parts: [Part] = []
        var literal = ""
        var index = 0
        func flushLiteral() {
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
        }
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "{" where next == "{", "}" where next == "}":
                literal.append(character)
                index += 2
            case "{":
                let placeholder = try Self.placeholder(in: characters, openingAt: index)
                flushLiteral()
                parts.append(.placeholder(placeholder.value))
                index = placeholder.end
            case "}":
                throw TemplateError(.unmatchedClosingBrace, offset: index)
            default:
                literal.append(character)
                index += 1
            }
        }
        flushLiteral()

        self.source = source
        self.parts = parts
        var placeholders: Set<TemplatePlaceholder> = []
        var literalByteCount = 0
        for part in parts {
            switch part {
            case .literal(let text): literalByteCount += text.utf8.count
            case .placeholder(let placeholder): placeholders.insert(placeholder)
            }
        }
        self.placeholders = placeholders
        self.literalByteCount = literalByteCount
    }

    /// Fills in the placeholders.
    ///
    /// A missing value is the caller's mistake (check `placeholders` against `TemplateValues.value(for:)`
    /// first), but it is thrown rather than rendered as an empty string or a crash: a message that
    /// silently lacks its code is worse than one that is refused.
    /// - Parameter values: The values for this message.
    /// - Returns: The message text.
    /// - Throws: `RenderError.missingValue` naming the first placeholder that has no value.
    package func render(_ values: TemplateValues) throws(RenderError) -> String {
        var text = ""
        text.reserveCapacity(literalByteCount + 16)
        for part in parts {
            switch part {
            case .literal(let literal):
                text += literal
            case .placeholder(let placeholder):
                guard let value = values.value(for: placeholder) else { throw .missingValue(placeholder) }
                text += value
            }
        }
        return text
    }

    /// Reads `{name}` starting at the `{` at `start`.
    /// - Returns: The placeholder and the index just past its `}`.
    private static func placeholder(
        in characters: [Character], openingAt start: Int
    ) throws(TemplateError) -> (value: TemplatePlaceholder, end: Int) {
        var close = start + 1
        // A `{` before any `}` means the first brace was never closed: `{otp is {app}`.
        while close < characters.count, characters[close] != "}", characters[close] != "{" {
            close += 1
        }
        guard close < characters.count, characters[close] == "}" else {
            throw TemplateError(.unclosedBrace, offset: start)
        }
        let name = String(characters[(start + 1)..<close])
        guard !name.isEmpty else { throw TemplateError(.emptyPlaceholder, offset: start) }
        guard let placeholder = TemplatePlaceholder(rawValue: name) else {
            let trimmed = String(name.filter { !$0.isWhitespace })
            let suggestion = Suggestion.closest(to: trimmed, among: TemplatePlaceholder.allCases.map(\.rawValue))
            throw TemplateError(
                .unknownPlaceholder(name, suggestion: suggestion.flatMap(TemplatePlaceholder.init(rawValue:))),
                offset: start
            )
        }
        return (placeholder, close + 1)
    }
}
