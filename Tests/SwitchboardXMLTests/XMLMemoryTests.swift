import SwitchboardXML
import Testing

#if os(Linux)
import CLibXML2
import Glibc
import Synchronization

extension XMLTests {
    @Suite struct XMLMemoryTests {
        /// Parsing, querying and refusing documents must free everything libxml2 allocated.
        ///
        /// Valgrind 3.19 cannot run Swift 6.3 test binaries, and resident memory says little (freed memory
        /// that malloc keeps absorbs a leak for rounds, and other suites in this process move it), so this
        /// counts libxml2's own allocations: its allocator functions (`xmlMemSetup`) are replaced by ones
        /// that count the blocks this test's thread takes and gives back, and pass everything else through.
        /// After a warm-up (libxml2's per-thread state), a leak-free loop hands back every block it takes;
        /// leaking one block per document leaves as many blocks as documents.
        @Test func repeatedParsesFreeEverything() throws {
            try LibXML2Blocks.counting {
                try work(200)
                let before = LibXML2Blocks.held
                try work(10_000)
                let held = LibXML2Blocks.held - before
                #expect(LibXML2Blocks.taken > 100_000, "the counting allocator saw libxml2's allocations")
                #expect(held == 0, "\(held) of libxml2's blocks still held after 10,000 documents")
            }
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
    }
}

/// Counts the blocks libxml2 takes and gives back on one thread, the one in ``counting(_:)``.
///
/// libxml2 allocates through function pointers it lets a program replace. The replacements call the C
/// library's own functions, so a block taken before them can be freed through them and the other way
/// round, and other threads using libxml2 meanwhile (other suites) are only passed through.
private enum LibXML2Blocks {
    /// The counting thread, as `pthread_self()`; 0 when nothing counts.
    static let thread = Atomic<UInt>(0)
    static let takenCount = Atomic<Int>(0)
    static let givenBack = Atomic<Int>(0)
    /// One test counts at a time.
    static let exclusive = Mutex(())

    /// Blocks taken and not yet given back on the counting thread.
    static var held: Int { takenCount.load(ordering: .relaxed) - givenBack.load(ordering: .relaxed) }
    /// Blocks taken on the counting thread.
    static var taken: Int { takenCount.load(ordering: .relaxed) }

    /// Runs `body` with libxml2's allocations on this thread counted, then puts libxml2's functions back.
    static func counting(_ body: () throws -> Void) throws {
        try exclusive.withLock { _ in
            var free: xmlFreeFunc?
            var malloc: xmlMallocFunc?
            var realloc: xmlReallocFunc?
            var strdup: xmlStrdupFunc?
            xmlMemGet(&free, &malloc, &realloc, &strdup)
            takenCount.store(0, ordering: .relaxed)
            givenBack.store(0, ordering: .relaxed)
            thread.store(UInt(pthread_self()), ordering: .relaxed)
            xmlMemSetup(countedFree, countedMalloc, countedRealloc, countedStrdup)
            defer {
                xmlMemSetup(free, malloc, realloc, strdup)
                thread.store(0, ordering: .relaxed)
            }
            try body()
        }
    }

    private static var onCountingThread: Bool { thread.load(ordering: .relaxed) == UInt(pthread_self()) }

    private static let countedMalloc: xmlMallocFunc = { size in
        let block = Glibc.malloc(size)
        if block != nil, LibXML2Blocks.onCountingThread { LibXML2Blocks.takenCount.add(1, ordering: .relaxed) }
        return block
    }

    private static let countedFree: xmlFreeFunc = { block in
        if block != nil, LibXML2Blocks.onCountingThread { LibXML2Blocks.givenBack.add(1, ordering: .relaxed) }
        Glibc.free(block)
    }

    private static let countedRealloc: xmlReallocFunc = { block, size in
        let moved = Glibc.realloc(block, size)
        // Growing a block keeps one block; only a new one counts.
        if block == nil, moved != nil, LibXML2Blocks.onCountingThread { LibXML2Blocks.takenCount.add(1, ordering: .relaxed) }
        return moved
    }

    private static let countedStrdup: xmlStrdupFunc = { text in
        guard let text else { return nil }
        let copy = Glibc.strdup(text)
        if copy != nil, LibXML2Blocks.onCountingThread { LibXML2Blocks.takenCount.add(1, ordering: .relaxed) }
        return copy
    }
}
#endif
