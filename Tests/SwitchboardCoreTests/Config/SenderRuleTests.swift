import Foundation
import Testing
@testable import SwitchboardCore

/// `routes[].sender`: an alphanumeric name (1 to 11 of `A-Z a-z 0-9` and space, with a letter), a
/// `+E164` number, or a 3 to 8 digit short code; and never a name toward countries that refuse them.
@Suite("Route senders")
struct SenderRuleTests {
    typealias R = ConfigReference

    /// A route to Great Britain whose sender (at line 4, column 53) is `written`.
    static func britishRoute(sender written: String) -> String {
        """
        providers:
          default: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: "\(written)", providers: [default] }
        """
    }

    @Test(
        "the three kinds of sender are read at their edges",
        arguments: [
            ("A", SenderID.alphanumeric("A")), ("ACME Bank 1", .alphanumeric("ACME Bank 1")), ("1a", .alphanumeric("1a")),
            ("+12345678", .phoneNumber("+12345678")), ("+123456789012345", .phoneNumber("+123456789012345")),
            ("123", .shortCode("123")), ("12345678", .shortCode("12345678")),
        ]
    )
    func accepted(written: String, sender: SenderID) throws {
        #expect(try parseConfig(Self.britishRoute(sender: written)).routes.first?.sender == sender)
    }

    @Test(
        "everything else is refused at the sender, with the rule it breaks",
        arguments: [
            ("ACME Bank 12", "alphanumeric sender \"ACME Bank 12\" has 12 characters; the limit is 11"),
            ("ACME_UK", "alphanumeric sender \"ACME_UK\" contains \"_\"; only A-Z, a-z, 0-9 and space are allowed"),
            ("12", "sender \"12\" has no letter: an alphanumeric sender needs at least one, and a short code has 3 to 8 digits"),
            ("123456789", "sender \"123456789\" has no letter: an alphanumeric sender needs at least one, and a short code has 3 to 8 digits"),
            ("12 34", "sender \"12 34\" has no letter: an alphanumeric sender needs at least one, and a short code has 3 to 8 digits"),
            ("+1234567", "sender \"+1234567\" starts with + but is not an E.164 number (+ and 8 to 15 digits)"),
            ("+1234567890123456", "sender \"+1234567890123456\" starts with + but is not an E.164 number (+ and 8 to 15 digits)"),
            ("+44 7700 900123", "sender \"+44 7700 900123\" starts with + but is not an E.164 number (+ and 8 to 15 digits)"),
        ]
    )
    func refused(written: String, message: String) {
        #expect(R.printed(Self.britishRoute(sender: written)) == ["test.yaml:4:53: 'routes[0].sender': \(message)"])
    }

    static let refusing = ["AS", "CA", "GU", "MP", "PR", "US", "VI"]

    @Test("a name sender on a catch-all is refused once for each of US, CA, PR, VI, GU, AS and MP")
    func catchAllReachesAllSeven() {
        let yaml = R.rest.replacingOccurrences(of: "\"+14155550100\"", with: "DEMO")
        let printed = R.printed(yaml)
        let expected = Self.refusing.map { country in
            "test.yaml:8:31: route 'everyone' can send to \(country) from the alphanumeric sender 'DEMO', but networks in \(country) refuse alphanumeric senders; put a rule for \(country) before it with a phone-number or short-code sender, or leave \(country) out of this rule"
        }
        #expect(Set(printed) == Set(expected))
        #expect(printed.count == 7)
    }

    @Test("a route limited to one refusing country is refused for that country alone", arguments: SenderRuleTests.refusing)
    func eachRefusingCountry(country: String) {
        let printed = R.printed(Self.britishRoute(sender: "DEMO").replacingOccurrences(of: "[GB]", with: "[\(country)]"))
        #expect(printed.count == 1, "\(printed)")
        #expect(printed.first?.hasPrefix("test.yaml:4:53: route 'uk' can send to \(country) from the alphanumeric sender 'DEMO'") == true, "\(printed)")
    }

    @Test("countries around them take name senders", arguments: ["GB", "MX", "FR", "BS", "JM", "DO"])
    func otherCountries(country: String) {
        #expect(R.printed(Self.britishRoute(sender: "DEMO").replacingOccurrences(of: "[GB]", with: "[\(country)]")) == [])
    }

    @Test("number and short-code senders may reach every country", arguments: ["+14155550100", "12345"])
    func numbersReachEverywhere(sender: String) {
        #expect(R.printed(R.rest.replacingOccurrences(of: "+14155550100", with: sender)) == [])
    }
}
