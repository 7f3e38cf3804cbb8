import Foundation
import Testing

@testable import SwitchboardCore

/// The conversion rule's decision, free of any store: the floor, the threshold, recovery, and the
/// buckets its counts and its slowed rate are kept in.
@Suite struct ConversionRuleTests {
    let rule: ConversionRule = {
        var rule = ConversionRule()
        rule.minSends = 50
        rule.minVerifiedShare = 0.2
        return rule
    }()

    func tally(sent: Int, verified: Int) -> ConversionTally {
        ConversionTally(scope: .country("NG"), sent: sent, verified: verified)
    }

    @Test func underTheFloorNothingIsSlowedHoweverFewVerify() {
        #expect(!rule.isSlowed(tally(sent: 49, verified: 0)))
        #expect(rule.isSlowed(tally(sent: 50, verified: 0)))
    }

    @Test func aShareUnderTheThresholdSlowsAndOneAtItDoesNot() {
        #expect(rule.isSlowed(tally(sent: 100, verified: 19)))
        #expect(!rule.isSlowed(tally(sent: 100, verified: 20)))
        #expect(!rule.isSlowed(tally(sent: 1000, verified: 900)))
    }

    /// Recovery needs no state: the same counts judged again once verifications come in, or once
    /// the unverified sends leave the window, are judged normal.
    @Test func recoveryIsTheSameJudgementOnNewerCounts() {
        #expect(rule.isSlowed(tally(sent: 60, verified: 5)))
        #expect(!rule.isSlowed(tally(sent: 60, verified: 12)))
        #expect(!rule.isSlowed(tally(sent: 10, verified: 0)))
    }

    /// Verifications of codes sent before the window can outnumber the sends in it.
    @Test func theShareIsCappedAtOne() {
        #expect(tally(sent: 50, verified: 70).verifiedShare == 1)
        #expect(tally(sent: 0, verified: 3).verifiedShare == 1)
    }

    @Test func aSendCountsUnderItsCountryAndItsPrefix() throws {
        let number = try PhoneNumberParser.parse("+2348031234567")
        #expect(rule.scopes(of: number) == [.country("NG"), .prefix("2348031")])
        var countriesOnly = rule
        countriesOnly.prefixDigits = nil
        #expect(countriesOnly.scopes(of: number) == [.country("NG")])
        #expect(ConversionScope.prefix("2348031").key == "+2348031")
        #expect(ConversionScope(key: "+2348031") == .prefix("2348031"))
        #expect(ConversionScope(key: "001") == .country("001"))
    }

    @Test func theWindowStartsAtTheBucketHoldingItsFirstInstant() {
        let now = Date(timeIntervalSince1970: 1_800_000_000 + 3_630)
        // An hour before is 30 s into a minute: that whole minute is summed.
        #expect(rule.windowStart(now: now) == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(ConversionRule.bucketStart(containing: 1_800_000_059_999_999) == 1_800_000_000_000_000)
        #expect(ConversionRule.bucketStart(containing: 1_800_000_060_000_000) == 1_800_000_060_000_000)
    }

    /// A slowed scope's refused send may retry when the minute it was refused in ends.
    @Test func aRefusalWaitsForTheNextMinute() {
        let refusedAt = Date(timeIntervalSince1970: 1_800_000_000 + 45)
        #expect(ConversionRule.retryAfter(now: refusedAt) == .seconds(15))
        #expect(ConversionRule.retryAfter(now: Date(timeIntervalSince1970: 1_800_000_000)) == .seconds(60))
    }
}
