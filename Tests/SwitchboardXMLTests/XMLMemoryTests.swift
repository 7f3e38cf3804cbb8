import SwitchboardXML
import Testing

#if os(Linux)
import Foundation

extension XMLTests {
    @Suite struct XMLMemoryTests {
        /// Parsing, querying and refusing documents must free everything libxml2 allocated.
        ///
        /// Valgrind 3.19 cannot run Swift 6.3 test binaries, so this watches resident memory instead. After a
        /// warm-up (libxml2's globals, malloc arenas, Swift metadata) a leak-free loop does not grow it at all,
        /// while leaking even one 32-byte malloc chunk per iteration grows it by 320 KB per round. Other suites
        /// may run in this process at the same time, so the quietest round counts; a real leak grows every round.
        @Test func repeatedParsesFreeEverything() throws {
            try work(2_000)
            var growths: [Int] = []
            for _ in 0..<4 {
                let before = try residentBytes()
                try work(10_000)
                growths.append(try residentBytes() - before)
            }
            #expect(growths.min()! < 256 << 10, "resident memory grew by \(growths) bytes per 10,000 parses")
        }

        private func work(_ count: Int) throws {
            let namespaces = SOAPFixtures.namespaces
            for _ in 0..<count {
                let document = try SafeXMLDocument(parsing: SOAPFixtures.createResponseOK)
                _ = try document.string(at: "//et:OverallStatus", namespaces: namespaces)
                _ = try document.strings(at: "//et:Results/*", namespaces: namespaces)
                _ = try document.string(at: "count(//et:Results)", namespaces: namespaces)
                _ = try? document.string(at: "//et:Results[", namespaces: namespaces)
                _ = try? SafeXMLDocument(parsing: "<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>")
                _ = try? SafeXMLDocument(parsing: "<a><b></a>")
            }
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
