import Foundation
import SwitchboardJSON
import Testing

/// Our reader and writer against Foundation's `JSONSerialization` on many generated documents:
/// the reader must read what Foundation reads, and the writer must write what Foundation wrote.
@Suite struct FoundationEquivalenceTests {
    @Test func readerAgreesWithJSONSerialization() throws {
        var generator = DocumentGenerator(seed: 0x5EED)
        for _ in 0..<500 {
            let value = generator.value(depth: 0)
            let text = generator.text(of: value)
            let ours = try JSONReader.parse(Array(text.utf8))
            #expect(ours == value, "\(text)")
            let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
            #expect(Self.same(ours, theirs), "\(text)")
        }
    }

    /// Broken documents: whatever our reader accepts, Foundation accepts too and reads the same,
    /// except numbers beyond `Double`'s range, which Foundation refuses and we keep as written.
    @Test func readerNeverAcceptsMoreThanJSONSerialization() throws {
        var generator = DocumentGenerator(seed: 0xBAD)
        let noise: [UInt8] = Array(#"{}[],:"\u0/eE+-.1 tfn"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF0, 0xFF]
        var accepted = 0
        for _ in 0..<3_000 {
            var bytes = Array(generator.text(of: generator.value(depth: 0)).utf8)
            for _ in 0..<(1 + generator.next() % 3) where !bytes.isEmpty {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(generator.pick(noise), at: position)
                default: bytes[position] = generator.pick(noise)
                }
            }
            guard let ours = try? JSONReader.parse(bytes), !Self.hasNumberBeyondDouble(ours) else { continue }
            accepted += 1
            let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
            #expect(theirs.map { Self.same(ours, $0) } == true, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(accepted > 100)
    }

    @Test func readerRefusesWhatJSONSerializationRefuses() {
        for text in ["01", "[\"\\x\"]", "[1 2]", "{\"a\"}", "[", "\"\\ud800\""] {
            #expect((try? JSONReader.parse(text)) == nil, "\(text)")
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) == nil, "\(text)")
        }
    }

    /// Foundation on Linux reads a trailing comma; RFC 8259 does not allow one, and neither do we.
    @Test func readerIsStricterThanJSONSerializationAboutTrailingCommas() {
        for text in ["[1,]", "{\"a\":1,}"] {
            #expect((try? JSONReader.parse(text)) == nil, "\(text)")
        }
    }

    @Test func writerOutputReadsBackInJSONSerialization() throws {
        var generator = DocumentGenerator(seed: 0xF00D)
        for _ in 0..<500 {
            let value = generator.value(depth: 0)
            var writer = JSONWriter()
            writer.value(value)
            let theirs = try JSONSerialization.jsonObject(with: Data(writer.bytes), options: .fragmentsAllowed)
            #expect(Self.same(value, theirs), "\(String(decoding: writer.bytes, as: UTF8.self))")
        }
    }

    /// The Mosaic answers were `JSONSerialization.data(withJSONObject:options:[.sortedKeys,
    /// .withoutEscapingSlashes])` output; ours must be the same bytes for objects of that kind.
    /// (Names with digits or capitals sort differently in Foundation; the server passes
    /// Foundation's order for those, tested there.)
    @Test func writerMatchesSortedJSONSerializationByteForByte() throws {
        var generator = DocumentGenerator(seed: 0xBEEF, mosaicShapes: true)
        for _ in 0..<500 {
            let value = JSON.object(generator.object(depth: 0))
            var writer = JSONWriter()
            writer.value(value, sortingKeysBy: <)
            let theirs = try JSONSerialization.data(withJSONObject: Self.foundationObject(value), options: [.sortedKeys, .withoutEscapingSlashes])
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
        }
    }

    @Test func writerEscapesEveryControlCharacterAsFoundationDoes() throws {
        let text = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self) + "é😀\u{2028}/"
        var writer = JSONWriter()
        writer.value(["k": .string(text)], sortingKeysBy: <)
        let theirs = try JSONSerialization.data(withJSONObject: ["k": text], options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(writer.bytes == Array(theirs))
    }

    @Test func doublesMatchJSONEncoder() throws {
        var generator = DocumentGenerator(seed: 7)
        let values =
            [0, 1, 12, 0.5, 123.456, 0.001, 0.00001, 1e21, 1234567.891, -3.25] + (0..<200).map { _ in Double(generator.next() % 10_000_000) / 1000 }
        for value in values {
            var writer = JSONWriter()
            writer.number(value)
            let theirs = try JSONEncoder().encode([value])
            #expect("[" + String(decoding: writer.bytes, as: UTF8.self) + "]" == String(decoding: theirs, as: UTF8.self))
        }
    }

    // MARK: Comparing with Foundation's values

    static func hasNumberBeyondDouble(_ value: JSON) -> Bool {
        switch value {
        case .number(let text): !(Double(text)?.isFinite ?? false)
        case .array(let items): items.contains(where: hasNumberBeyondDouble)
        case .object(let object): object.contains { hasNumberBeyondDouble($0.value) }
        case .string, .bool, .null: false
        }
    }

    static func same(_ ours: JSON, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let flag):
            if let value = theirs as? Bool { return value == flag }
            return (theirs as? NSNumber)?.boolValue == flag
        case .number(let text):
            guard let number = theirs as? NSNumber, let expected = Double(text) else { return false }
            return number.doubleValue == expected
        case .string(let text): return (theirs as? String) == text
        case .array(let items):
            guard let array = theirs as? [Any], array.count == items.count else { return false }
            return zip(items, array).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let dictionary = theirs as? [String: Any], dictionary.count == Set(object.map(\.key)).count else { return false }
            return dictionary.allSatisfy { key, value in object[key].map { same($0, value) } ?? false }
        }
    }

    static func foundationObject(_ value: JSON) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .number(let text): Int(text) ?? Double(text)!
        case .string(let text): text
        case .array(let items): items.map(foundationObject)
        case .object(let object): Dictionary(object.map { ($0.key, foundationObject($0.value)) }, uniquingKeysWith: { $1 })
        }
    }
}

/// Random JSON documents, and random (valid) ways of writing them: extra whitespace, `\u`
/// escapes for ordinary characters, surrogate pairs for astral ones.
struct DocumentGenerator {
    private var state: UInt64
    /// Only what the Mosaic answers hold: integer numbers, and names of lowercase letters and `_`
    /// (on whose order Foundation's `.sortedKeys` and plain Unicode order agree).
    let mosaicShapes: Bool

    init(seed: UInt64, mosaicShapes: Bool = false) {
        state = seed
        self.mosaicShapes = mosaicShapes
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(next() % UInt64(choices.count))] }

    mutating func value(depth: Int) -> JSON {
        switch next() % (depth < 4 ? 7 : 5) {
        case 0: return .null
        case 1: return .bool(next() % 2 == 0)
        case 2: return .number(number())
        case 3, 4: return .string(string())
        case 5: return .array((0..<Int(next() % 5)).map { _ in value(depth: depth + 1) })
        default: return .object(object(depth: depth + 1))
        }
    }

    mutating func object(depth: Int) -> JSONObject {
        var object = JSONObject()
        for _ in 0..<Int(next() % 6) {
            object[mosaicShapes ? key() : string()] = value(depth: depth + 1)
        }
        return object
    }

    mutating func number() -> String {
        let integer = String(Int64(bitPattern: next()) % 1_000_000_000)
        if mosaicShapes { return integer }
        switch next() % 4 {
        case 0: return integer
        case 1: return "\(integer).\(next() % 1000)"
        case 2: return "\(integer)e\(pick(["", "+", "-"]))\(next() % 20)"
        default: return pick(["0", "-0", "0.5", "-0.25", "1E2", "123.456e-3"])
        }
    }

    mutating func key() -> String {
        String((0..<Int(1 + next() % 10)).map { _ in pick(Array("abcdefghijklmnopqrstuvwxyz_")) })
    }

    mutating func string() -> String {
        let pieces = [
            "a", "Z", " ", "/", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "ß", "日本", "😀", "𝄞", "\u{2028}", "~1", "sid", "SM123",
        ]
        return (0..<Int(next() % 8)).map { _ in pick(pieces) }.joined()
    }

    /// The value as JSON text, written a little differently each time.
    mutating func text(of value: JSON) -> String {
        let space = pick(["", "", " ", "\n  ", "\t", "\r\n"])
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return quoted(text)
        case .array(let items):
            var parts: [String] = []
            for item in items { parts.append(space + text(of: item) + space) }
            return "[" + space + parts.joined(separator: ",") + "]"
        case .object(let object):
            var parts: [String] = []
            for (key, member) in object { parts.append(space + quoted(key) + space + ":" + space + text(of: member)) }
            return "{" + parts.joined(separator: ",") + space + "}"
        }
    }

    mutating func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += pick(["\\\"", "\\u0022"])
            case "\\": out += pick(["\\\\", "\\u005C"])
            case "/": out += pick(["/", "\\/"])
            case "\n": out += pick(["\\n", "\\u000a"])
            case "\t": out += pick(["\\t", "\\u0009"])
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value > 0xFFFF && next() % 2 == 0:
                for unit in String(scalar).utf16 { out += String(format: "\\u%04X", unit) }
            case _ where scalar.value <= 0xFFFF && next() % 5 == 0: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
