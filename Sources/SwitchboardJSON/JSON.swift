/// A parsed JSON value (RFC 8259).
///
/// Numbers keep their literal text, so a caller decides how to read them and nothing is lost to
/// `Double` rounding on the way through; objects keep their members in document order.
package enum JSON: Sendable, Hashable {
    case object(JSONObject)
    case array([JSON])
    case string(String)
    /// The number exactly as written, such as `-12`, `0.5` or `1e3`.
    case number(String)
    case bool(Bool)
    case null

    /// A number from an integer.
    package static func number(_ value: some BinaryInteger) -> JSON { .number(String(value)) }
}

/// A JSON object's members in document (or insertion) order.
///
/// A document may repeat a name; every member is kept, and lookup finds the **last** one, which is
/// what Foundation's `JSONDecoder` and `JSONSerialization` do, so a field check made here and a
/// typed decode made by Foundation never disagree about a value.
package struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    package typealias Member = (key: String, value: JSON)

    private var keys: [String]
    private var values: [JSON]

    package init() {
        keys = []
        values = []
    }

    package init(_ members: [Member]) {
        keys = members.map(\.key)
        values = members.map(\.value)
    }

    package init(minimumCapacity: Int) {
        self.init()
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { keys.count }
    package subscript(position: Int) -> Member { (keys[position], values[position]) }

    /// The value of the last member named `key`; setting replaces it (or appends a new member), and
    /// setting nil removes every member of that name.
    package subscript(key: String) -> JSON? {
        get {
            guard let index = keys.lastIndex(of: key) else { return nil }
            return values[index]
        }
        set {
            if let newValue {
                if let index = keys.lastIndex(of: key) {
                    values[index] = newValue
                } else {
                    append(key, newValue)
                }
            } else {
                while let index = keys.lastIndex(of: key) {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            }
        }
    }

    /// Adds a member at the end, even if one of the same name exists.
    package mutating func append(_ key: String, _ value: JSON) {
        keys.append(key)
        values.append(value)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements { self[key] = value }
    }
}

// Deliberately not `ExpressibleByNilLiteral`: `nil` would then quietly mean `.null` where an
// optional was meant (`condition ? json : nil`).
extension JSON: ExpressibleByStringInterpolation, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int) { self = .number(String(value)) }
    package init(arrayLiteral elements: JSON...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSON)...) {
        var object = JSONObject(minimumCapacity: elements.count)
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
