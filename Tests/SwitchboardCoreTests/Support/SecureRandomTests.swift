import SwitchboardCore
import Testing

/// Random bytes from the kernel, in calls of at most 256 bytes.
@Suite("Secure random bytes")
struct SecureRandomTests {
    @Test(arguments: [0, 1, 8, 255, 256, 257, 512, 1_000])
    func asManyBytesAsAskedForAcrossTheCallLimit(count: Int) {
        let bytes = SecureRandom.bytes(count)
        #expect(bytes.count == count)
        // 16 bytes or more all zero would be a buffer left unfilled (odds 2^-128 by chance); past
        // 256, the tail comes from a second call and is checked on its own.
        if count >= 16 { #expect(bytes.prefix(256).contains { $0 != 0 }) }
        if count >= 272 { #expect(bytes.dropFirst(256).contains { $0 != 0 }) }
    }

    @Test func callsGiveDifferentBytes() {
        let draws = (0..<1_000).map { _ in SecureRandom.bytes(16) }
        #expect(Set(draws).count == draws.count)
    }

    /// Every byte value turns up, each near its share: 256 KiB, 1,024 of each expected. The bounds
    /// lie more than ten standard deviations out, so only a broken source crosses them.
    @Test func byteValuesAreSpreadEvenly() {
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<1_024 {
            for byte in SecureRandom.bytes(256) { counts[Int(byte)] += 1 }
        }
        #expect(counts.min()! > 700)
        #expect(counts.max()! < 1_350)
    }
}
