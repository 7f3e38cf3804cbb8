import SwitchboardJSON
import Testing

@Suite("Repeated member names")
struct RepeatedNamesTests {
    func repeated(_ text: String) throws -> String? {
        try JSONReader.parse(text).firstRepeatedName.map { $0.path.isEmpty ? $0.name : "\($0.path):\($0.name)" }
    }

    @Test("names each object's first repeated member, with the path of the object")
    func found() throws {
        #expect(try repeated(#"{"to": 1, "to": 2}"#) == "to")
        #expect(try repeated(#"{"a": {"b": {"c": 1, "c": 2}}}"#) == "a.b:c")
        #expect(try repeated(#"{"list": [{"x": 1}, {"y": 1, "y": 2}]}"#) == "list[1]:y")
        #expect(try repeated(#"[{"k": 1, "k": 1}]"#) == "[0]:k")
    }

    @Test("finds nothing where every object's names differ, even when objects share names")
    func notFound() throws {
        #expect(try repeated(#"{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}"#) == nil)
        #expect(try repeated(#""text""#) == nil)
        #expect(try repeated("{}") == nil)
    }
}
