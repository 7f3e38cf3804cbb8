import Testing
@testable import SwitchboardCore

/// "Checks beyond syntax" for routes: names of apps and templates that do not exist, prefixes and
/// kinds that cannot match, a chain that names a provider twice.
@Suite("Route references")
struct RouteReferenceTests {
    /// Line 11 is `line`; line 12 is `providers`.
    static func route(_ line: String, providers: String = "    providers: [default]") -> String {
        """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
        templates:
          short: "{otp}"
        providers:
          default: { type: default }
        routes:
          - name: r
        \(line)
        \(providers)
        """
    }

    @Test("a route's apps, template, prefixes and kinds are read")
    func valid() throws {
        let config = try parseConfig(Self.route("    match: { apps: [demo], prefixes: [\"+4477\"], kinds: [otp] }\n    template: short"))
        #expect(config.routes.first?.match == RouteMatch(countries: nil, prefixes: ["4477"], apps: ["demo"], kinds: [.otp]))
        #expect(config.routes.first?.template == "short")
    }

    @Test func undefinedApp() {
        #expect(
            ConfigReference.printed(Self.route("    match: { apps: [dmeo] }"))
                == ["test.yaml:11:21: app 'dmeo' is not defined under 'apps' (did you mean 'demo'?)"]
        )
    }

    @Test func undefinedTemplate() {
        #expect(
            ConfigReference.printed(Self.route("    template: shrot"))
                == ["test.yaml:11:15: template 'shrot' is not defined under 'templates' (did you mean 'short'?); defined: short"]
        )
    }

    @Test func prefixWithoutPlus() {
        #expect(
            ConfigReference.printed(Self.route("    match: { prefixes: [\"4477\"] }"))
                == ["test.yaml:11:25: prefix \"4477\" must be + and 1 to 15 digits, the start of an E.164 number, such as +4477009"]
        )
    }

    @Test func unknownKind() {
        #expect(
            ConfigReference.printed(Self.route("    match: { kinds: [sms] }"))
                == ["test.yaml:11:22: kind \"sms\" is not a message kind; use otp or transactional"]
        )
    }

    @Test func providerTwiceInAChain() {
        #expect(
            ConfigReference.printed(Self.route("    sender: \"+14155550100\"", providers: "    providers: [default, default]"))
                == ["test.yaml:12:26: provider 'default' appears twice in 'routes[0].providers'; a chain tries each provider once"]
        )
    }
}
