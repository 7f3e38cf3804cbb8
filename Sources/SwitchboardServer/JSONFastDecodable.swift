import SwitchboardJSON

/// A request body with a hand-written reader for the well-formed case, taken from the body the
/// server has already parsed, so the common request skips a second pass through `JSONDecoder`.
///
/// The reader only accepts what is plainly right (strings as strings, whole numbers written as
/// digits, true/false); anything else, missing or odd, throws ``JSONFastPathMiss`` and the caller
/// decodes with `JSONDecoder` as before, whose errors name the field. So answers to bad requests
/// are unchanged, and good requests decode to the same values. A field added to a conforming type
/// must be read here too: `JSONFastDecodableTests` compares each type's stored properties with
/// what its reader fills, so forgetting fails a test rather than dropping the field.
protocol JSONFastDecodable: Decodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss)
}

/// The fast path cannot decide; `JSONDecoder` will.
struct JSONFastPathMiss: Error {}

extension JSONObject {
    func string(_ key: String) throws(JSONFastPathMiss) -> String {
        guard case .string(let text)? = self[key] else { throw JSONFastPathMiss() }
        return text
    }

    /// nil when absent or null, as `decodeIfPresent` gives.
    func optionalString(_ key: String) throws(JSONFastPathMiss) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw JSONFastPathMiss()
        }
    }

    func optionalInt(_ key: String) throws(JSONFastPathMiss) -> Int? {
        switch self[key] {
        case nil, .null?: return nil
        case .number(let literal)?:
            // Plain digits only; `1.0` or `1e2` are left to JSONDecoder's own rules.
            guard !literal.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }), let value = Int(literal) else {
                throw JSONFastPathMiss()
            }
            return value
        default: throw JSONFastPathMiss()
        }
    }

    func optionalBool(_ key: String) throws(JSONFastPathMiss) -> Bool? {
        switch self[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw JSONFastPathMiss()
        }
    }

    func optionalObject(_ key: String) throws(JSONFastPathMiss) -> JSONObject? {
        switch self[key] {
        case nil, .null?: return nil
        case .object(let object)?: return object
        default: throw JSONFastPathMiss()
        }
    }

    /// An object of strings; one that repeats a name is left to JSONDecoder.
    func optionalStringDictionary(_ key: String) throws(JSONFastPathMiss) -> [String: String]? {
        guard let object = try optionalObject(key) else { return nil }
        var dictionary: [String: String] = [:]
        dictionary.reserveCapacity(object.count)
        for (name, value) in object {
            guard case .string(let text) = value, dictionary.updateValue(text, forKey: name) == nil else { throw JSONFastPathMiss() }
        }
        return dictionary
    }
}
