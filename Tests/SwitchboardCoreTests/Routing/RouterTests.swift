import Testing
@testable import SwitchboardCore

@Suite struct RouterTests {
    typealias F = RouteFixtures

    /// The name of the rule that wins, or `nil`.
    private func winner(_ rules: [RouteRule], _ number: PhoneNumber, app: String = "acme", kind: MessageKind = .otp) -> String? {
        Router(rules: rules).decide(number, app: app, kind: kind)?.rule
    }

    @Test func emptyRuleListMatchesNothing() {
        let router = Router(rules: [])
        #expect(router.decide(F.gb, app: "acme", kind: .otp) == nil)
        #expect(router.rules.isEmpty)
    }

    @Test func catchAllMatchesEverything() {
        let rules = [F.rule("everyone")]
        for number in [F.gb, F.fr, F.us, F.fi] {
            for kind in MessageKind.allCases {
                #expect(winner(rules, number, app: "any", kind: kind) == "everyone")
            }
        }
    }

    @Test func noMatchGivesNil() {
        let rules = [F.rule("uk", countries: ["GB"]), F.rule("otp", kinds: [.otp])]
        #expect(winner(rules, F.fr, kind: .transactional) == nil)
    }

    @Test func decisionCarriesTheRuleAndTheCountry() {
        let rules = [
            F.rule("uk", countries: ["GB"]),
            RouteRule(name: "rest", sender: .phoneNumber("+14155550100"), providers: ["twilio", "default"], template: "welcome"),
        ]
        let decision = Router(rules: rules).decide(F.fr, app: "acme", kind: .otp)
        #expect(decision == RouteDecision(
            rule: "rest", ruleIndex: 1, country: "FR", sender: .phoneNumber("+14155550100"),
            providers: ["twilio", "default"], template: "welcome"
        ))
    }

    @Test func countries() {
        let rules = [F.rule("uk", countries: ["GB", "GG", "JE", "IM"]), F.rule("fr", countries: ["FR"])]
        #expect(winner(rules, F.gb) == "uk")
        #expect(winner(rules, F.jersey) == "uk")
        #expect(winner(rules, F.fr) == "fr")
        #expect(winner(rules, F.us) == nil)
    }

    @Test func emptyConditionListsMatchNothing() {
        let rules = [
            F.rule("no-countries", countries: []),
            F.rule("no-prefixes", prefixes: []),
            F.rule("no-apps", apps: []),
            F.rule("no-kinds", kinds: []),
        ]
        #expect(winner(rules, F.gb) == nil)
    }

    @Test func longerPrefixFirstWinsForItsNumbers() {
        let rules = [F.rule("long", prefixes: ["447700"]), F.rule("short", prefixes: ["44"])]
        #expect(winner(rules, F.gb) == "long")
        #expect(winner(rules, F.jersey) == "short")
        #expect(winner(rules, F.fr) == nil)
    }

    @Test func shorterPrefixFirstShadowsTheLongerOne() {
        let rules = [F.rule("short", prefixes: ["44"]), F.rule("long", prefixes: ["447700"])]
        #expect(winner(rules, F.gb) == "short")
    }

    /// The deepest prefix node the walk reaches belongs to a rule that fails on app; the rule of a
    /// shorter prefix on the same path must still be found.
    @Test func shorterPrefixOnTheSamePathStillMatchesWhenTheDeeperRuleFails() {
        let rules = [F.rule("deep", prefixes: ["4477009"], apps: ["other"]), F.rule("shallow", prefixes: ["44"])]
        #expect(winner(rules, F.gb) == "shallow")
        #expect(winner(rules, F.gb, app: "other") == "deep")
    }

    @Test func overlappingPrefixesInOneRule() {
        let rules = [F.rule("uk", prefixes: ["4477", "44", "447700900"]), F.rule("rest")]
        #expect(winner(rules, F.gb) == "uk")
        #expect(winner(rules, F.jersey) == "uk")
        #expect(winner(rules, F.fr) == "rest")
    }

    @Test func prefixEqualToTheWholeNumberMatchesAndALongerOneDoesNot() {
        let rules = [F.rule("longer", prefixes: ["4477009001234"]), F.rule("whole", prefixes: ["447700900123"])]
        #expect(winner(rules, F.gb) == "whole")
    }

    @Test func prefixesSpanTheCallingCodeAndTheNationalNumber() {
        let rules = [
            F.rule("bay-area", prefixes: ["1415"]),
            F.rule("finland", prefixes: ["3584"]),
            F.rule("not-finland", prefixes: ["35"]),
        ]
        #expect(winner(rules, F.us) == "bay-area")
        #expect(winner(rules, F.fi) == "finland")
        #expect(winner(rules, PhoneNumber(callingCode: 1, nationalNumber: "2125550100", region: "US")) == nil)
    }

    @Test func emptyPrefixMatchesEveryNumber() {
        let rules = [F.rule("all", prefixes: [""])]
        #expect(winner(rules, F.gb) == "all")
        #expect(winner(rules, F.fi) == "all")
    }

    @Test func prefixWithNonDigitsMatchesNothing() {
        let rules = [F.rule("plus", prefixes: ["+44"]), F.rule("space", prefixes: ["44 7700"]), F.rule("rest")]
        #expect(winner(rules, F.gb) == "rest")
    }

    @Test func apps() {
        let rules = [F.rule("acme", apps: ["acme"]), F.rule("others", apps: ["beta", "gamma"])]
        #expect(winner(rules, F.gb, app: "acme") == "acme")
        #expect(winner(rules, F.gb, app: "gamma") == "others")
        #expect(winner(rules, F.gb, app: "delta") == nil)
    }

    @Test func kinds() {
        let rules = [F.rule("otp", kinds: [.otp]), F.rule("both", kinds: [.otp, .transactional])]
        #expect(winner(rules, F.gb, kind: .otp) == "otp")
        #expect(winner(rules, F.gb, kind: .transactional) == "both")
    }

    @Test func everyConditionOfARuleMustHold() {
        let rules = [
            F.rule("all-four", countries: ["GB"], prefixes: ["447700"], apps: ["acme"], kinds: [.otp]),
            F.rule("uk-transactional", countries: ["GB", "JE"], kinds: [.transactional]),
            F.rule("prefix-and-app", prefixes: ["44"], apps: ["beta"]),
        ]
        #expect(winner(rules, F.gb, app: "acme", kind: .otp) == "all-four")
        #expect(winner(rules, F.gb, app: "acme", kind: .transactional) == "uk-transactional")
        #expect(winner(rules, F.gb, app: "beta", kind: .otp) == "prefix-and-app")
        #expect(winner(rules, F.jersey, app: "acme", kind: .otp) == nil)
        #expect(winner(rules, F.jersey, app: "acme", kind: .transactional) == "uk-transactional")
        // Country and prefix disagree: the region says GB but the digits are French.
        let odd = PhoneNumber(callingCode: 33, nationalNumber: "7700900123", region: "GB")
        #expect(winner(rules, odd, app: "acme", kind: .otp) == nil)
    }

    @Test func firstMatchWinsEvenWhenALaterRuleIsMoreSpecific() {
        let rules = [
            F.rule("europe", countries: ["GB", "FR", "DE"]),
            F.rule("uk-otp-acme", countries: ["GB"], prefixes: ["447700"], apps: ["acme"], kinds: [.otp]),
            F.rule("everyone"),
        ]
        #expect(winner(rules, F.gb) == "europe")
        #expect(winner(rules, F.us) == "everyone")
    }

    @Test func catchAllBeforeOtherRulesShadowsThem() {
        let rules = [F.rule("everyone"), F.rule("uk", countries: ["GB"])]
        #expect(winner(rules, F.gb) == "everyone")
    }

    /// Many rules that never match and one that does, at positions on both sides of the 64-bit
    /// word boundaries of the rule sets.
    @Test(arguments: [0, 1, 62, 63, 64, 65, 127, 128, 129, 999, 1000, 1023, 1024, 1025, 1499])
    func onlyMatchingRuleAmongManyIsFound(position: Int) {
        var rules = (0..<1500).map { F.rule("r\($0)", countries: ["FR"], prefixes: ["33\($0)"], kinds: [.transactional]) }
        rules[position] = F.rule("r\(position)", countries: ["GB"], prefixes: ["4477"], kinds: [.otp])
        let decision = Router(rules: rules).decide(F.gb, app: "acme", kind: .otp)
        #expect(decision?.ruleIndex == position)
        #expect(decision?.rule == "r\(position)")
    }

    /// Several rules match; the first one wins even when it sits in a later word than a rule that
    /// matches on fewer dimensions.
    @Test(arguments: [63, 64, 65, 130, 1001])
    func firstOfSeveralMatchesAcrossWords(position: Int) {
        var rules = (0..<1200).map { F.rule("r\($0)", apps: ["other"]) }
        rules[position] = F.rule("first", prefixes: ["44"])
        rules[position + 3] = F.rule("second", countries: ["GB"])
        rules[1199] = F.rule("catch-all")
        let router = Router(rules: rules)
        #expect(router.decide(F.gb, app: "acme", kind: .otp)?.ruleIndex == position)
        #expect(router.decide(F.fr, app: "acme", kind: .otp)?.ruleIndex == 1199)
        #expect(router.decide(F.fr, app: "other", kind: .otp)?.ruleIndex == 0)
    }

    @Test func unusualCallingCodesWalkTheSameDigitsAsTheString() {
        for code in [0, 7, 10, 100, 999, -44] {
            let number = PhoneNumber(callingCode: code, nationalNumber: "123", region: "XX")
            #expect(Array(E164Digits(number)) == Array(number.digits.utf8))
        }
    }
}
