import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite("OTP configuration keys")
struct OTPConfigTests {
    @Test func clientsIssuerAndAppSettingsAreRead() throws {
        let yaml = OTPTest.yaml(demo: "    unknown_users: conceal\n    allow_direct_channel: true")
        let config = try OTPTest.config(yaml)
        #expect(config.server.issuer == "https://login.example.test")
        let demo = try #require(config.app("demo"))
        #expect(demo.clients == [OAuthClient(id: OTPTest.clientID, secret: OTPTest.clientSecret)])
        #expect(demo.unknownUsers == .conceal)
        #expect(demo.allowDirectChannel)
        #expect(config.client("other-backend")?.app.id == "other")
        #expect(config.client("nobody") == nil)
        let other = try #require(config.app("other"))
        #expect(other.unknownUsers == .reveal)
        #expect(!other.allowDirectChannel)
    }

    @Test func shippedConfigHasADemoClientWithoutEnvironmentAndTakesTheSecretFromIt() throws {
        let text = try String(contentsOfFile: repositoryPath("config.yaml"), encoding: .utf8)
        let plain = try ConfigParser.parse(yaml: text, file: "config.yaml", environment: [:])
        #expect(plain.client("demo-backend")?.client.secret == "demo_client_secret_for_local_use")
        #expect(plain.server.issuer == "http://127.0.0.1:8080")
        let set = try ConfigParser.parse(yaml: text, file: "config.yaml", environment: ["DEMO_CLIENT_SECRET": "from-the-environment-123"])
        #expect(set.client("demo-backend")?.client.secret == "from-the-environment-123")
    }

    @Test func issuerDefaultsToTheListenAddress() throws {
        let yaml = OTPTest.yaml().replacingOccurrences(of: "  issuer: https://login.example.test\n", with: "  listen: 127.0.0.1:9000\n")
        #expect(try OTPTest.config(yaml).server.issuer == "http://127.0.0.1:9000")
    }

    @Test func badValuesAreReportedWithTheirPosition() {
        let unknown = OTPTest.configProblems(OTPTest.yaml(demo: "    unknown_users: hide"))
        #expect(unknown.count == 1)
        #expect(unknown.first?.hasPrefix("test.yaml:10:") == true && unknown.first?.contains("reveal") == true, "\(unknown)")
        let short = OTPTest.configProblems(OTPTest.yaml().replacingOccurrences(of: OTPTest.clientSecret, with: "short"))
        #expect(short.first?.contains("shorter than 16") == true, "\(short)")
        let duplicate = OTPTest.configProblems(OTPTest.yaml().replacingOccurrences(of: "other-backend", with: OTPTest.clientID))
        #expect(duplicate.first?.contains("used by apps 'demo' and 'other'") == true, "\(duplicate)")
        let issuer = OTPTest.configProblems(OTPTest.yaml().replacingOccurrences(of: "https://login.example.test", with: "login.example.test"))
        #expect(issuer.first?.hasPrefix("test.yaml:2:") == true, "\(issuer)")
    }
}
