import Foundation

/// Replaces `${NAME}` and `${NAME:-fallback}` in configuration values with environment variables,
/// so that secrets live in the environment and never in the file.
package enum EnvironmentExpansion {
    /// Why a value could not be expanded. Messages name variables, never their values.
    package enum Failure: Error, Equatable {
        case unset(variable: String)
        case malformed(String)
    }

    /// Expands every reference in `text`; `$${` writes a literal `${`.
    package static func expand(_ text: String, environment: [String: String]) -> Result<String, Failure> {
        guard text.contains("$") else { return .success(text) }
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let afterDollar = rest[rest.index(after: dollar)...]
            if afterDollar.hasPrefix("${") {
                output += "${"
                rest = afterDollar.dropFirst(2)
                continue
            }
            guard afterDollar.hasPrefix("{") else {
                output.append("$")
                rest = afterDollar
                continue
            }
            guard let close = afterDollar.firstIndex(of: "}") else {
                return .failure(.malformed("'${' is not closed by '}'; write ${NAME} or ${NAME:-fallback}, or $${ for a literal ${"))
            }
            let reference = afterDollar[afterDollar.index(after: afterDollar.startIndex)..<close]
            let name: Substring
            let fallback: Substring?
            if let separator = reference.range(of: ":-") {
                name = reference[..<separator.lowerBound]
                fallback = reference[separator.upperBound...]
            } else {
                name = reference
                fallback = nil
            }
            guard isVariableName(name) else {
                return .failure(.malformed("'${\(reference)}' is not a variable reference; names are letters, digits and _, not starting with a digit"))
            }
            if let value = environment[String(name)] {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                return .failure(.unset(variable: String(name)))
            }
            rest = afterDollar[afterDollar.index(after: close)...]
        }
        output += rest
        return .success(output)
    }

    private static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || first.isASCIILetter else { return false }
        return name.allSatisfy { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit }
    }
}
