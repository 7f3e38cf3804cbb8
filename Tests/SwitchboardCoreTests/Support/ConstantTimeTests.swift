import SwitchboardCore
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalBytesMatch() {
        #expect(ConstantTime.equal(Array("secret".utf8), Array("secret".utf8)))
        #expect(ConstantTime.equal([UInt8](), [UInt8]()))
    }

    @Test func anyDifferenceIsADifference() {
        #expect(!ConstantTime.equal(Array("secret".utf8), Array("secreT".utf8)))
        #expect(!ConstantTime.equal(Array("secret".utf8), Array("Secret".utf8)))
    }

    @Test func aPrefixIsNotAMatch() {
        #expect(!ConstantTime.equal(Array("secret".utf8), Array("secre".utf8)))
        #expect(!ConstantTime.equal(Array("secre".utf8), Array("secret".utf8)))
        #expect(!ConstantTime.equal([UInt8](), Array("s".utf8)))
    }

    @Test func trailingZeroBytesAreNotPadding() {
        #expect(!ConstantTime.equal([1, 2], [1, 2, 0]))
    }

    @Test func differentCollectionTypesCompareByContent() {
        #expect(ConstantTime.equal("key".utf8, Array("key".utf8)))
        #expect(ConstantTime.equal(Substring("a key").utf8.dropFirst(2), "key".utf8))
    }
}
