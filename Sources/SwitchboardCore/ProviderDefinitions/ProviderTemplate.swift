/// A piece of provider-definition text with `{placeholders}`: a URL, a header value, a form field,
/// a JSON string or a SOAP envelope.
///
/// The template never escapes by itself: whoever renders it passes the escaping for the place the
/// value goes (URL path, form, JSON, XML text), so a value can never break out of its place.
package struct ProviderTemplate: Sendable, Hashable {
    package enum Part: Sendable, Hashable {
        case literal(String)
        /// A value such as `message.text`, `settings.account_sid` or `token.access_token`.
        case variable(String)
    }

    package let parts: [Part]

    /// The empty text.
    package static let empty = ProviderTemplate(parts: [])

    private init(parts: [Part]) {
        self.parts = parts
    }

    /// Parses `{name}` placeholders; `{{` and `}}` write literal braces.
    /// - Throws: `ProviderTemplateError` with the offset (in characters) of the problem.
    package init(parsing text: String) throws(ProviderTemplateError) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        var offset = 0
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{", next < text.endIndex, text[next] == "{" {
                literal.append("{")
                index = text.index(after: next)
                offset += 2
                continue
            }
            if character == "}", next < text.endIndex, text[next] == "}" {
                literal.append("}")
                index = text.index(after: next)
                offset += 2
                continue
            }
            if character == "}" {
                throw ProviderTemplateError(offset: offset, message: "a lone '}'; write '}}' for a literal brace")
            }
            guard character == "{" else {
                literal.append(character)
                index = next
                offset += 1
                continue
            }
            guard let close = text[next...].firstIndex(of: "}") else {
                throw ProviderTemplateError(offset: offset, message: "'{' is not closed by '}'; write '{{' for a literal brace")
            }
            let name = String(text[next..<close])
            guard ProviderTemplate.isVariableName(name) else {
                throw ProviderTemplateError(offset: offset, message: "'{\(name)}' is not a placeholder; names are letters, digits, '_', '-' and '.', such as {message.text}")
            }
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
            parts.append(.variable(name))
            offset += text[index...close].count
            index = text.index(after: close)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// Every placeholder name, in order of appearance.
    package var variables: [String] {
        parts.compactMap { if case .variable(let name) = $0 { name } else { nil } }
    }

    /// True when the template is text only.
    package var isConstant: Bool { variables.isEmpty }

    /// The template with every placeholder replaced.
    /// - Parameters:
    ///   - values: Where placeholder values come from.
    ///   - escape: Makes a value safe for the place it goes; literals are written as they are.
    /// - Throws: `MissingProviderValue` when a placeholder has no value.
    package func render(_ values: ProviderValues, escape: (String) -> String) throws(MissingProviderValue) -> String {
        var output = ""
        for part in parts {
            switch part {
            case .literal(let text):
                output += text
            case .variable(let name):
                guard let value = values[name] else { throw MissingProviderValue(name: name) }
                output += escape(value)
            }
        }
        return output
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCIILetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == "-" || $0 == "." }
    }
}

/// Why template text could not be parsed.
package struct ProviderTemplateError: Error, Sendable {
    /// Characters from the start of the text.
    package var offset: Int
    package var message: String
}

/// A placeholder had no value when a request was built (an optional setting that was not given).
package struct MissingProviderValue: Error, Sendable, Hashable {
    package var name: String
}
