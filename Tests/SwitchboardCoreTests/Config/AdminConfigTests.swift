import Foundation
import Testing
@testable import SwitchboardCore

/// `admin:`: tokens of their own, never an API key; an address of its own.
@Suite("Admin configuration")
struct AdminConfigTests {
    /// Lines 1–7.
    static let base = """
        server:
          listen: 127.0.0.1:8080
          api_keys: [{ name: ci, key: api-key-value-1 }]
        providers:
          default: { type: default }
        routes:
          - { name: everyone, match: { countries: [GB] }, sender: Demo, providers: [default] }
        """

    @Test func tokensAndListenFromTheEnvironment() throws {
        let config = try parseConfig(
            Self.base + "\nadmin:\n  tokens: [\"${ADMIN_TOKEN}\"]\n  listen: 127.0.0.1:9090",
            environment: ["ADMIN_TOKEN": "admin-token-from-env-1"]
        )
        #expect(config.admin.tokens == ["admin-token-from-env-1"])
        #expect(config.admin.listen == ListenAddress(host: "127.0.0.1", port: 9090))
        #expect(config.admin.isEnabled)
    }

    @Test func noAdminSectionLeavesTheAPIOff() throws {
        let config = try parseConfig(Self.base)
        #expect(config.admin.tokens.isEmpty)
        #expect(!config.admin.isEnabled)
    }

    @Test func anAPIKeyIsNeverAnAdminToken() {
        expectOne(
            Self.base + "\nadmin:\n  tokens: [api-key-value-1]", line: 9, column: 12,
            contains: ["'admin.tokens[0]' is also one of server.api_keys", "never an API key"]
        )
    }

    @Test func shortTokenIsRefusedWithoutPrintingItsValue() {
        let problems = configProblems(Self.base + "\nadmin:\n  tokens: [\"${SHORT}\"]", environment: ["SHORT": "tiny-secret"])
        #expect(problems.map(\.line) == [9])
        #expect(problems.first?.message.contains("shorter than 16 characters") == true)
        #expect(problems.first?.message.contains("tiny-secret") == false)
    }

    @Test func unsetVariableInATokenIsReportedAtItsPlace() {
        expectOne(Self.base + "\nadmin:\n  tokens: [\"${NOPE}\"]", line: 9, column: 12, contains: ["environment variable NOPE is not set"])
    }

    @Test func adminListenMustDifferFromServerListen() {
        expectOne(Self.base + "\nadmin:\n  listen: 127.0.0.1:8080", line: 9, column: 11, contains: ["same address as 'server.listen'"])
    }

    @Test func watchConfigMustBeABoolean() {
        let yaml = Self.base.replacingOccurrences(of: "  listen: 127.0.0.1:8080", with: "  listen: 127.0.0.1:8080\n  watch_config: sometimes")
        expectOne(yaml, line: 3, column: 17, contains: ["must be true or false"])
    }
}
