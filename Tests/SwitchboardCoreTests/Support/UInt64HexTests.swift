import SwitchboardCore
import Testing

/// Zero-padded hex, the time part of message and session ids.
@Suite("Fixed-width hex")
struct UInt64HexTests {
    @Test func digitsArePaddedToTheWidthAndNeverCut() {
        #expect(UInt64(0).hexDigits(width: 12) == "000000000000")
        #expect(UInt64(255).hexDigits(width: 4) == "00ff")
        #expect(UInt64.max.hexDigits(width: 16) == "ffffffffffffffff")
        #expect(UInt64(0x1_0000).hexDigits(width: 2) == "10000")
        #expect(UInt64(7).hexDigits(width: 0) == "7")
    }

    @Test func textSortsAsTheNumbersDo() {
        var generator = SplitMix64(seed: 19)
        let numbers = (0..<2_000).map { _ in generator.next() >> (generator.next() % 64) }
        let texts = numbers.map { $0.hexDigits(width: 16) }
        #expect(texts.sorted() == numbers.sorted().map { $0.hexDigits(width: 16) })
    }
}
