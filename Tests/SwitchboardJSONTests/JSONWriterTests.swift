import SwitchboardJSON
import Testing

@Suite struct JSONWriterTests {
    func written(_ write: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        write(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func placesCommasAndColons() {
        let text = written { w in
            w.beginObject()
            w.member("a", "x")
            w.key("b")
            w.beginArray()
            w.number(1)
            w.beginObject()
            w.endObject()
            w.null()
            w.endArray()
            w.member("c", true)
            w.member("d", nil as String?)
            w.endObject()
        }
        #expect(text == #"{"a":"x","b":[1,{},null],"c":true,"d":null}"#)
    }

    @Test func escapesQuoteBackslashAndControlCharactersOnly() {
        #expect(written { $0.string("a\"b\\c/d") } == #""a\"b\\c/d""#)
        #expect(written { $0.string("\u{08}\u{0C}\n\r\t") } == #""\b\f\n\r\t""#)
        #expect(written { $0.string("\u{0}\u{1}\u{1F}\u{7F}") } == "\"\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(written { $0.string("é € 😀 \u{2028}") } == "\"é € 😀 \u{2028}\"")
    }

    @Test func writesNumbersAsFoundationDid() {
        #expect(written { $0.number(0) } == "0")
        #expect(written { $0.number(-42) } == "-42")
        #expect(written { $0.number(Int64.max) } == "9223372036854775807")
        #expect(written { $0.number(12.0) } == "12")
        #expect(written { $0.number(0.5) } == "0.5")
        #expect(written { $0.number(123.456) } == "123.456")
        #expect(written { $0.number(0.00001) } == "1e-05")
        #expect(written { $0.number(Double.nan) } == "null")
        #expect(written { $0.number(literal: "1e3") } == "1e3")
    }

    @Test func sortsKeysWhenAsked() {
        let value: JSON = ["b": 1, "a": ["d": 1, "c": 2], "a_b": [["z": 1, "y": 2]]]
        #expect(written { $0.value(value) } == #"{"b":1,"a":{"d":1,"c":2},"a_b":[{"z":1,"y":2}]}"#)
        #expect(written { $0.value(value, sortingKeysBy: <) } == #"{"a":{"c":2,"d":1},"a_b":[{"y":2,"z":1}],"b":1}"#)
    }

    @Test func roundTripsThroughTheReader() throws {
        let value: JSON = [
            "text": "line\nbreak \"quoted\" \\ / \u{1} é 😀", "n": .number("-1.5e-7"), "list": [true, false, .null, [:], []],
            "nested": ["deeper": ["deepest": "x"]],
        ]
        var writer = JSONWriter()
        writer.value(value)
        #expect(try JSONReader.parse(writer.bytes) == value)
    }
}
