import Testing

@testable import SwitchboardCore

/// Random bytes from the kernel: small draws from a reserve it filled ahead of need, larger ones
/// straight from it, in calls of at most 256 bytes.
@Suite("Secure random bytes")
struct SecureRandomTests {
    @Test(arguments: [0, 1, 8, 16, 63, 64, 65, 255, 256, 257, 512, 1_000, 4_096])
    func asManyBytesAsAskedForAcrossTheCallLimit(count: Int) {
        let bytes = SecureRandom.bytes(count)
        #expect(bytes.count == count)
        // 16 bytes or more all zero would be a buffer left unfilled (odds 2^-128 by chance); past
        // 256, the tail comes from a second call and is checked on its own.
        if count >= 16 { #expect(bytes.prefix(256).contains { $0 != 0 }) }
        if count >= 272 { #expect(bytes.dropFirst(256).contains { $0 != 0 }) }
    }

    /// Draws of 16 bytes: the reserve is filled again about every sixteenth.
    @Test func callsGiveDifferentBytes() {
        let draws = (0..<1_000).map { _ in SecureRandom.bytes(16) }
        #expect(Set(draws).count == draws.count)
    }

    /// Threads drawing at once never get the same bytes.
    @Test func concurrentDrawsGiveDifferentBytes() async {
        let draws = await withTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).map { _ in SecureRandom.bytes(16) } }
            }
            var all: [[UInt8]] = []
            for await some in group { all += some }
            return all
        }
        #expect(draws.count == 4_000)
        #expect(Set(draws).count == draws.count)
    }

    /// What was handed out is erased from the reserve; what is left is still there to draw.
    @Test func theReserveKeepsNoByteItHandedOut() {
        // Other tests draw at the same time: whatever they took, the state is read under the lock.
        _ = SecureRandom.bytes(SecureRandom.largestFromReserve)
        _ = SecureRandom.bytes(24)
        let (bytes, taken) = SecureRandom.reserveState
        #expect(taken > 0)
        #expect(taken <= SecureRandom.reserveSize)
        #expect(bytes.prefix(taken).allSatisfy { $0 == 0 })
        if SecureRandom.reserveSize - taken >= 16 { #expect(bytes.dropFirst(taken).contains { $0 != 0 }) }
    }

    /// Every byte value turns up, each near its share: 256 KiB, 1,024 of each expected. The bounds
    /// lie more than ten standard deviations out, so only a broken source crosses them.
    @Test(arguments: [16, 256])
    func byteValuesAreSpreadEvenly(drawSize: Int) {
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<(262_144 / drawSize) {
            for byte in SecureRandom.bytes(drawSize) { counts[Int(byte)] += 1 }
        }
        #expect(counts.min()! > 700)
        #expect(counts.max()! < 1_350)
    }
}
