import SwitchboardXML
import Testing

#if os(Linux)
import Foundation

extension XMLTests {
    @Suite struct XMLMemoryTests {
        /// Parsing, querying and refusing documents must free everything libxml2 allocated. A leak of even
        /// a small tree per parse shows up as tens of megabytes over 10,000 parses.
        @Test func repeatedParsesDoNotGrowResidentMemory() throws {
            let namespaces = SOAPFixtures.namespaces
            func work(_ count: Int) throws {
                for _ in 0..<count {
                    let document = try SafeXMLDocument(parsing: SOAPFixtures.createResponseOK)
                    _ = try document.string(at: "//et:OverallStatus", namespaces: namespaces)
                    _ = try document.strings(at: "//et:Results/*", namespaces: namespaces)
                    _ = try? document.string(at: "//et:Results[", namespaces: namespaces)
                    _ = try? SafeXMLDocument(parsing: "<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>")
                    _ = try? SafeXMLDocument(parsing: "<a><b></a>")
                }
            }
            try work(1_000)  // warm up: libxml2's globals, malloc arenas
            let before = try residentBytes()
            try work(10_000)
            let growth = try residentBytes() - before
            #expect(growth < 8 << 20, "resident memory grew by \(growth) bytes over 10,000 parses")
        }

        private func residentBytes() throws -> Int {
            // /proc/self/statm: size resident shared text lib data dt, in pages.
            let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
            let fields = statm.split(separator: " ")
            return Int(fields[1])! * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
    }
}
#endif
