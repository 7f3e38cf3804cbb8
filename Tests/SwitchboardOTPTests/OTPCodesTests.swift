import Foundation
import SwitchboardCore
import SwitchboardOTP
import Testing

/// Codes, random ids and their base64url text.
@Suite("OTP codes and random ids")
struct OTPCodesTests {
    @Test(arguments: [1, 4, 6, 10])
    func codesHaveTheirLengthInDigitsOnly(length: Int) {
        for _ in 0..<200 {
            let code = OTPCodes.generate(length: length)
            #expect(code.utf8.count == length)
            #expect(code.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }, "\(code)")
        }
    }

    @Test func everyDigitTurnsUpInEveryPlace() {
        // A digit missing from one place in 2,000 codes would happen by chance with a probability
        // of about 10 × 0.9^2000: never.
        var seen = Array(repeating: Set<UInt8>(), count: 8)
        for _ in 0..<2_000 {
            for (place, digit) in OTPCodes.generate(length: 8).utf8.enumerated() { seen[place].insert(digit) }
        }
        #expect(seen.allSatisfy { $0.count == 10 })
    }

    @Test func randomBytesAreAsManyAsAskedAndDiffer() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        let ids = (0..<1_000).map { _ in OTPCodes.randomID(bytes: 32) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.utf8.count == 43 })
    }

    @Test func base64URLIsFoundationsBase64WithTheURLAlphabetAndNoPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected, "\(bytes)")
        }
        // Every character of the alphabet, in order.
        let all = Data((0..<48).map { UInt8($0) })
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.encode(all).count == 64)
    }
}
