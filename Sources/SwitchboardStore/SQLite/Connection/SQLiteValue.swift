/// A value bound to a statement or read from a row, one case per SQLite storage class.
enum SQLiteValue: Sendable, Hashable {
    case null
    /// 64-bit, as SQLite stores it: `Int` is 64 bits on every platform Switchboard builds for.
    case integer(Int)
    case real(Double)
    /// Read whole, NUL characters included.
    case text(String)
    case blob([UInt8])

    static func optionalText(_ value: String?) -> SQLiteValue {
        value.map { .text($0) } ?? .null
    }

    /// The integer, or `nil` for any other kind of value.
    var integerValue: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The text, or `nil` for any other kind of value.
    var textValue: String? {
        if case .text(let value) = self { value } else { nil }
    }

    var isNull: Bool {
        if case .null = self { true } else { false }
    }
}

extension SQLiteValue: CustomStringConvertible {
    var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): "\(value)"
        case .real(let value): "\(value)"
        case .text(let value): "\"\(value)\""
        case .blob(let bytes): "<\(bytes.count) bytes>"
        }
    }
}
