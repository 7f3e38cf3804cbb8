import Foundation
import Testing
@testable import SwitchboardCore

@Suite struct RouteExplanationTests {
    typealias F = RouteFixtures

    private let designRules = [
        F.rule("uk", countries: ["GB", "GG", "JE", "IM"]),
        F.rule("north-america", countries: ["US", "CA"], kinds: [.transactional]),
        F.rule("everyone-else"),
    ]

    @Test func listsEveryFailingConditionOfEverySkippedRule() {
        let explanation = Router(rules: designRules).explain(F.fr, app: "acme", kind: .otp)
        #expect(explanation.skipped == [
            .init(name: "uk", ruleIndex: 0, reasons: ["country FR is not one of GB, GG, IM, JE"]),
            .init(name: "north-america", ruleIndex: 1, reasons: [
                "country FR is not one of CA, US",
                "kind otp is not one of transactional",
            ]),
        ])
        #expect(explanation.matched == .init(name: "everyone-else", ruleIndex: 2, sender: "ACME", providers: ["everyone-else"], template: nil))
    }

    @Test func stopsAtTheMatch() {
        let explanation = Router(rules: designRules).explain(F.gb, app: "acme", kind: .otp)
        #expect(explanation.skipped.isEmpty)
        #expect(explanation.matched?.name == "uk")
    }

    @Test func longPrefixListsAreCut() {
        let prefixes = (0..<12).map { "4477009\($0)" }
        let rules = [F.rule("test-numbers", prefixes: prefixes, apps: ["beta"])]
        let explanation = Router(rules: rules).explain(F.fr, app: "acme", kind: .otp)
        #expect(explanation.skipped.first?.reasons == [
            "+33612345678 starts with none of the prefixes +44770090, +44770091, +44770092, +44770093, +44770094, ... (and 7 more)",
            "app acme is not one of beta",
        ])
        #expect(explanation.matched == nil)
    }

    @Test func emptyListsSaySo() {
        let rules = [F.rule("typo", countries: [], prefixes: [])]
        let reasons = Router(rules: rules).explain(F.gb, app: "acme", kind: .otp).skipped.first?.reasons
        #expect(reasons == [
            "country GB: the rule's list of countries is empty, so nothing matches it",
            "+447700900123: the rule's list of prefixes is empty, so nothing matches it",
        ])
    }

    @Test func readsAsText() {
        let text = Router(rules: designRules).explain(F.fr, app: "acme", kind: .otp).description
        #expect(text == """
            +33612345678 (FR), app acme, kind otp
              skipped 'uk': country FR is not one of GB, GG, IM, JE
              skipped 'north-america': country FR is not one of CA, US; kind otp is not one of transactional
              matched 'everyone-else': sender ACME, providers everyone-else
            """)
        let none = Router(rules: [F.rule("uk", countries: ["GB"])]).explain(F.fr, app: "acme", kind: .otp).description
        #expect(none.hasSuffix("no rule matched (1 tried); the message cannot be routed"))
    }

    @Test func roundTripsThroughJSON() throws {
        let explanation = Router(rules: designRules).explain(F.fr, app: "acme", kind: .transactional)
        let data = try JSONEncoder().encode(explanation)
        #expect(try JSONDecoder().decode(RouteExplanation.self, from: data) == explanation)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["kind"] as? String == "transactional")
        // snake_case, like the rest of the CLI's and the API's JSON.
        #expect((object?["matched"] as? [String: Any])?["rule_index"] as? Int == 2)
    }

    @Test func saysSoWhenNoAppWasGiven() {
        let explanation = Router(rules: [F.rule("acme-only", apps: ["acme"])]).explain(F.gb, app: "", kind: .otp)
        #expect(explanation.skipped.first?.reasons == ["app (none) is not one of acme"])
        #expect(explanation.description.hasPrefix("+447700900123 (GB), app (none), kind otp\n"))
    }
}
