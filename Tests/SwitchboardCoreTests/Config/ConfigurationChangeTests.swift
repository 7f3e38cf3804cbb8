import Foundation
import Testing
@testable import SwitchboardCore

/// What a reload reports: names only, never values; and which providers keep their instance.
@Suite("Configuration change")
struct ConfigurationChangeTests {
    static let before = """
        server:
          api_keys: [{ name: ci, key: api-key-value-1 }, { name: ops, key: api-key-value-2 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code"
        providers:
          alpha: { type: default }
          beta: { type: default }
        routes:
          - { name: uk, match: { countries: [GB] }, sender: Demo, providers: [alpha] }
          - { name: rest, sender: "+14155550100", providers: [beta] }
        """

    @Test func nothingChanged() throws {
        let config = try parseConfig(Self.before)
        let change = ConfigurationChange(from: config, to: config)
        #expect(change.isEmpty)
        #expect(change.summary == "no changes")
        #expect(change.unchangedProviders == ["alpha", "beta"])
    }

    @Test func routesProvidersAndKeysOnOneLine() throws {
        let after = Self.before
            .replacingOccurrences(of: "api-key-value-2", with: "api-key-value-3")
            .replacingOccurrences(of: "beta: { type: default }", with: "beta: { type: default, max_in_flight: 9 }\n  gamma: { type: default }")
            .replacingOccurrences(of: "  - { name: uk, match: { countries: [GB] }, sender: Demo, providers: [alpha] }\n", with: "")
            .replacingOccurrences(of: "providers: [beta] }", with: "providers: [gamma] }")
            .replacingOccurrences(of: "  - { name: rest,", with: "  - { name: fr, match: { countries: [FR] }, sender: Demo, providers: [alpha] }\n  - { name: rest,")
            .replacingOccurrences(of: "server:", with: "server:\n  listen: 127.0.0.1:9999")
        let change = ConfigurationChange(from: try parseConfig(Self.before), to: try parseConfig(after))
        #expect(
            change.summary
                == "routes: added fr; removed uk; changed rest | providers: added gamma; changed beta | api keys: rotated ops | changed server.issuer | needs restart: server.listen, providers.*.max_in_flight (the HTTP client's connection pool)"
        )
        #expect(change.unchangedProviders == ["alpha"])
        #expect(!change.summary.contains("api-key-value"))
    }

    @Test func aChangedDefinitionFileChangesItsProviders() throws {
        let config = try parseConfig(Self.before)
        var renamed = config
        renamed.providers = config.providers.map { var provider = $0; provider.type = "rest"; return provider }
        let change = ConfigurationChange(from: renamed, to: renamed, oldFingerprints: ["rest": "one"], newFingerprints: ["rest": "two"])
        #expect(change.providers.changed == ["alpha", "beta"])
        #expect(change.unchangedProviders.isEmpty)
    }
}
