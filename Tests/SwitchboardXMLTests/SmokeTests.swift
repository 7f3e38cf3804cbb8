import SwitchboardXML
import Testing

@Suite struct XMLSmokeTests {
    @Test func parsesAndQueries() throws {
        let document = try SafeXMLDocument(parsing: "<a><b>1</b></a>")
        #expect(try document.string(at: "/a/b") == "1")
    }
}
