import Foundation

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
