import SwitchboardJSON

/// A provider's JSON answer, read so fields can be found by JSON pointer (`value(at:)`).
///
/// Numbers keep the text the provider wrote and booleans their kind, on every platform.
typealias JSONAnswer = JSON

extension JSON {
    /// Parses an answer body; nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONAnswer? {
        try? JSONReader.parse(bytes)
    }

    /// The value as text for matching: strings as they are, numbers and booleans as written, nil for
    /// null, objects and arrays.
    var text: String? {
        switch self {
        case .string(let value), .number(let value): value
        case .bool(let value): value ? "true" : "false"
        case .null, .object, .array: nil
        }
    }
}
