import Foundation

/// A provider's JSON answer, decoded into plain values so fields can be found by JSON pointer.
///
/// Decoded with `JSONDecoder` rather than `JSONSerialization` so that booleans and numbers keep
/// their kinds on every platform.
enum JSONAnswer: Decodable, Equatable {
    case object([String: JSONAnswer])
    case array([JSONAnswer])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(Double.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONAnswer].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONAnswer].self))
        }
    }

    /// Parses an answer body; nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONAnswer? {
        try? JSONDecoder().decode(JSONAnswer.self, from: Data(bytes))
    }

    /// The value at an RFC 6901 pointer (`/messages/0/status`).
    func value(at pointer: String) -> JSONAnswer? {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty ? self : nil }
        var current = self
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
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
