import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// A verify provider built the way the daemon builds it, on a route limited to OTPs (a verify
/// provider may carry nothing else), over one shared client shut down afterwards.
func withVerifyProvider<T>(
    type: String, settings: String, clock: any SwitchboardClock = SystemClock(), _ body: (any SMSProvider & CodeVerifier) async throws -> T
) async throws -> T {
    let yaml = """
        providers:
          p:
            type: \(type)
        \(settings.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        routes:
          - { name: logins, match: { kinds: [otp] }, providers: [p] }
        """
    let catalog = try shippedCatalog()
    let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
    let http = HTTPClientService.makeShared()
    let providers = ProviderFactory.makeProviders(config.providers, inbox: NoInbox(), catalog: catalog, transport: http.transport, clock: clock)
    let result = await Result {
        let verifier = try #require(providers[0] as? any SMSProvider & CodeVerifier)
        return try await body(verifier)
    }
    try await http.service.shutdown()
    return try result.get()
}

/// The login flow's OTP as the gateway hands it over: with the app's name and its message with
/// `{otp}` and `{app}` left in.
func loginOTP(
    to: String = "+447700900123", sender: String? = "ACME", template: String? = "{otp} is your {app} code. Don't share it."
) throws -> OutboundMessage {
    var outbound = try message(to: to, sender: sender, text: "123456 is your Acme code. Don't share it.")
    outbound.ownedCode = OwnedCodeRequest(app: "Acme", template: template)
    return outbound
}

func check(_ verifier: any CodeVerifier, _ code: String, to: String = "+447700900123") async throws -> CodeCheck {
    await verifier.check(code: code, to: try PhoneNumberParser.parse(to), deadline: .now + .seconds(30), logger: testLogger)
}
