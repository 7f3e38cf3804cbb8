import Foundation
import Yams

/// A node of the YAML tree together with where it is, so that every reader can report a problem
/// at the exact line and column.
struct ConfigNode {
    let node: Node
    /// Where the node sits, in the dotted form people search for: `routes[2].sender`.
    let path: String
    let diagnostics: ConfigDiagnostics
    let environment: [String: String]

    var line: Int { node.mark?.line ?? 1 }
    var column: Int { node.mark?.column ?? 1 }

    func report(_ message: String) {
        diagnostics.report(withoutEnvironmentValue(message), line: line, column: column)
    }

    /// The message with this node's value, where it came from the environment and the message quotes
    /// it, replaced by the value as written (`${NAME}`): problems never print environment values.
    private func withoutEnvironmentValue(_ message: String) -> String {
        guard case .scalar(let scalar) = node, scalar.string.contains("${"),
            case .success(let value) = EnvironmentExpansion.expand(scalar.string, environment: environment),
            !value.isEmpty, value != scalar.string
        else { return message }
        return message
            .replacingOccurrences(of: "'\(value)'", with: "'\(scalar.string)'")
            .replacingOccurrences(of: "\"\(value)\"", with: "\"\(scalar.string)\"")
    }

    func child(_ node: Node, path: String) -> ConfigNode {
        ConfigNode(node: node, path: path, diagnostics: diagnostics, environment: environment)
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node { return scalar.tag == .implicit && node.null != nil }
        return false
    }

    /// The entries of a mapping, checked against the keys it may have. Unknown keys are reported.
    /// An empty value (`key:`) reads as an empty mapping.
    func mapping(allowedKeys: [String]) -> OrderedEntries? {
        mapping(validatingKeys: { key in
            allowedKeys.contains(key) ? nil : "unknown key '\(key)' in \(describedPath)\(Suggestion.didYouMean(key, among: allowedKeys)); allowed keys: \(allowedKeys.joined(separator: ", "))"
        })
    }

    /// The entries of a mapping whose keys are names chosen by the user (apps, providers, templates).
    func namedEntries(kind: String) -> OrderedEntries? {
        mapping(validatingKeys: { key in
            isName(key) ? nil : "\(kind) name '\(key)' may only contain letters, digits, '-' and '_'"
        })
    }

    /// The entries of a mapping whose keys `check` accepts (it returns the problem with a key, or nil).
    func mapping(validatingKeys check: (String) -> String?) -> OrderedEntries? {
        if isNull { return OrderedEntries(entries: []) }
        guard case .mapping(let mapping) = node else {
            report("\(describedPath) must be a mapping of keys to values, not \(kindDescription)")
            return nil
        }
        var entries: [(key: String, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            let keyReader = child(keyNode, path: path)
            guard case .scalar(let keyScalar) = keyNode else {
                keyReader.report("keys in \(describedPath) must be plain words, not \(keyReader.kindDescription)")
                continue
            }
            // libyaml has already refused repeated keys.
            let key = keyScalar.string
            if let problem = check(key) {
                keyReader.report(problem)
                continue
            }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            entries.append((key, child(valueNode, path: childPath)))
        }
        return OrderedEntries(entries: entries)
    }

    /// The items of a sequence; an empty value reads as an empty list.
    func sequence() -> [ConfigNode]? {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else {
            report("\(describedPath) must be a list, not \(kindDescription)")
            return nil
        }
        return sequence.enumerated().map { index, item in child(item, path: "\(path)[\(index)]") }
    }

    /// A scalar's text after `${VAR}` expansion.
    func string() -> ConfigString? {
        guard case .scalar(let scalar) = node else {
            report("\(describedPath) must be a single value, not \(kindDescription)")
            return nil
        }
        switch EnvironmentExpansion.expand(scalar.string, environment: environment) {
        case .success(let value):
            return ConfigString(value: value, written: scalar.string, node: self)
        case .failure(.unset(let variable)):
            report("environment variable \(variable) is not set (used by \(describedPath)); set it, or give a fallback with ${\(variable):-fallback}")
            return nil
        case .failure(.malformed(let problem)):
            report("\(describedPath): \(problem)")
            return nil
        }
    }

    /// A non-empty string.
    func nonEmptyString() -> ConfigString? {
        guard let text = string() else { return nil }
        guard !text.value.isEmpty else {
            report("\(describedPath) is empty; give it a value")
            return nil
        }
        return text
    }

    func integer(in range: ClosedRange<Int>) -> Int? {
        guard let text = string() else { return nil }
        guard let value = Int(text.value), range.contains(value) else {
            report("\(describedPath) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text.quoted)")
            return nil
        }
        return value
    }

    func boolean() -> Bool? {
        guard let text = string() else { return nil }
        switch text.value {
        case "true": return true
        case "false": return false
        default:
            report("\(describedPath) must be true or false, not \(text.quoted)")
            return nil
        }
    }

    func duration(in range: ClosedRange<Duration>? = nil) -> Duration? {
        guard let text = string() else { return nil }
        guard let duration = Duration(configText: text.value) else {
            report("\(describedPath): \(text.quoted) is not a duration; write a number and a unit, such as 30s, 5m or 1h")
            return nil
        }
        if let range, !range.contains(duration) {
            report("\(describedPath) must be between \(range.lowerBound.configText) and \(range.upperBound.configText), not \(text.quoted)")
            return nil
        }
        return duration
    }

    /// A list of strings; a single value is taken as a list of one.
    func stringList() -> [ConfigString]? {
        if case .scalar = node, !isNull { return string().map { [$0] } }
        return sequence()?.compactMap { $0.string() }
    }

    /// "the top level" or "'routes[2].match'", for messages.
    var describedPath: String { path.isEmpty ? "the top level" : "'\(path)'" }

    var kindDescription: String {
        switch node {
        case .scalar(let scalar): "the value \"\(scalar.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func isName(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "_" }
    }
}

/// A mapping's entries in file order.
struct OrderedEntries {
    var entries: [(key: String, value: ConfigNode)]

    subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key }?.value
    }
}

/// A configuration value with the node it came from.
struct ConfigString {
    /// The value after environment expansion.
    let value: String
    /// The text as written in the file, `${VAR}` references and all.
    let written: String
    let node: ConfigNode

    /// The value for messages: as written when it came from the environment, so secrets never print.
    var quoted: String {
        written.contains("${") ? "\"\(written)\" (after expansion)" : "\"\(value)\""
    }
}
