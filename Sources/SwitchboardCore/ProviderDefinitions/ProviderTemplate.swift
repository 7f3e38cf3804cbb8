import Foundation
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

/// The values placeholders draw from while one request is built.
package struct ProviderValues: Sendable {
    private var values: [String: String]

    package init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// A value, or nil when it is absent or empty (an empty setting counts as not given).
    package subscript(name: String) -> String? {
        get {
            guard let value = values[name], !value.isEmpty else { return nil }
            return value
        }
        set { values[name] = newValue }
    }

    /// The values of one message: `message.id`, `message.to`, `message.to_digits`, `message.sender`,
    /// `message.text`, `message.encoding` (`gsm7` or `ucs2`) and `message.segments`.
    package mutating func add(_ message: OutboundMessage) {
        values["message.id"] = message.id
        values["message.to"] = message.to.e164
        values["message.to_digits"] = String(message.to.e164.dropFirst())
        values["message.sender"] = message.sender?.description
        values["message.text"] = message.text
        values["message.encoding"] = message.encoding == .gsm7 ? "gsm7" : "ucs2"
        values["message.segments"] = String(message.segments)
    }

    /// Every name under `prefix.`: `settings.*`, `token.*`.
    package mutating func add(_ entries: [String: String], prefix: String) {
        for (key, value) in entries { values["\(prefix).\(key)"] = value }
    }

    /// The message placeholders a definition may use.
    package static let messageVariables = [
        "message.id", "message.to", "message.to_digits", "message.sender", "message.text", "message.encoding", "message.segments",
    ]
}

/// A condition on a value, for fields sent only sometimes (`From` or `MessagingServiceSid`).
package enum ProviderCondition: Sendable, Hashable {
    /// `NAME`: the value is given and not empty.
    case isSet(String)
    /// `!NAME`: the value is absent or empty.
    case isUnset(String)
    /// `NAME == VALUE`.
    case equals(String, String)
    /// `NAME != VALUE`.
    case notEquals(String, String)

    /// Parses `NAME`, `!NAME`, `NAME == VALUE` and `NAME != VALUE`.
    package init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        for (symbol, isEqual) in [("==", true), ("!=", false)] {
            if let range = trimmed.range(of: symbol) {
                let name = String(trimmed[..<range.lowerBound]).trimmingSpaces
                let value = String(trimmed[range.upperBound...]).trimmingSpaces
                guard ProviderTemplate.isVariableName(name), !value.isEmpty else { return nil }
                self = isEqual ? .equals(name, value) : .notEquals(name, value)
                return
            }
        }
        if trimmed.hasPrefix("!") {
            let name = String(trimmed.dropFirst()).trimmingSpaces
            guard ProviderTemplate.isVariableName(name) else { return nil }
            self = .isUnset(name)
            return
        }
        guard ProviderTemplate.isVariableName(trimmed) else { return nil }
        self = .isSet(trimmed)
    }

    package var variable: String {
        switch self {
        case .isSet(let name), .isUnset(let name), .equals(let name, _), .notEquals(let name, _): name
        }
    }

    package func holds(in values: ProviderValues) -> Bool {
        switch self {
        case .isSet(let name): values[name] != nil
        case .isUnset(let name): values[name] == nil
        case .equals(let name, let value): values[name] == value
        case .notEquals(let name, let value): values[name] != value
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
