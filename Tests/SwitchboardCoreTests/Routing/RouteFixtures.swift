@testable import SwitchboardCore

/// Short ways to write the rules and numbers the routing tests use.
enum RouteFixtures {
    /// A rule whose single provider is its own name, so a decision shows which rule won.
    static func rule(
        _ name: String,
        countries: Set<String>? = nil,
        prefixes: [String]? = nil,
        apps: Set<String>? = nil,
        kinds: Set<MessageKind>? = nil
    ) -> RouteRule {
        RouteRule(
            name: name,
            match: RouteMatch(countries: countries, prefixes: prefixes, apps: apps, kinds: kinds),
            sender: .alphanumeric("ACME"),
            providers: [name]
        )
    }

    static let gb = PhoneNumber(callingCode: 44, nationalNumber: "7700900123", region: "GB")
    static let jersey = PhoneNumber(callingCode: 44, nationalNumber: "7797900123", region: "JE")
    static let fr = PhoneNumber(callingCode: 33, nationalNumber: "612345678", region: "FR")
    static let us = PhoneNumber(callingCode: 1, nationalNumber: "4155550100", region: "US")
    static let fi = PhoneNumber(callingCode: 358, nationalNumber: "401234567", region: "FI")
}
