extension JSON {
    /// The first member name that an object in this value repeats, with the path of that object
    /// (`""` for the top level, `custom_data.address` below it, `[2]` for array elements); `nil` when
    /// no object repeats a name.
    ///
    /// The reader keeps every member of a repeated name, because provider answers are read as
    /// they come. A request body is different: two parsers may pick different members of the same
    /// name, which is how request smuggling starts, so request readers refuse such bodies.
    package var firstRepeatedName: (path: String, name: String)? {
        repeatedName(under: "")
    }

    private func repeatedName(under path: String) -> (path: String, name: String)? {
        switch self {
        case .object(let object):
            var seen = Set<String>(minimumCapacity: object.count)
            for member in object where !seen.insert(member.key).inserted {
                return (path, member.key)
            }
            for member in object {
                if let found = member.value.repeatedName(under: path.isEmpty ? member.key : "\(path).\(member.key)") {
                    return found
                }
            }
            return nil
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = element.repeatedName(under: "\(path)[\(index)]") { return found }
            }
            return nil
        case .string, .number, .bool, .null:
            return nil
        }
    }
}
