import Foundation
import SwitchboardTestSupport
import Testing
@testable import SwitchboardCore

@Suite("Configuration parsing")
struct ConfigParserTests {
    @Test("the shipped config.yaml is valid")
    func shippedConfig() throws {
        let text = try String(contentsOfFile: repositoryPath("config.yaml"), encoding: .utf8)
        let config = try ConfigParser.parse(yaml: text, file: "config.yaml", environment: [:])
        #expect(config.apps.map(\.id) == ["demo"])
        #expect(config.providers.map(\.name) == ["default"])
        #expect(config.routes.last?.match.isCatchAll == true)
        #expect(config.server.apiKeys.first?.key == "sb_local_development_key")
    }

    @Test("a full configuration reads into typed values")
    func typedValues() throws {
        let config = try parseConfig("""
            server:
              listen: "[::1]:9090"
              api_keys: [{ name: ci, key: "${KEY}" }]
            storage: { sqlite: /tmp/x.sqlite }
            messages: { max_segments: 5 }
            delivery: { deadline: 1m30s, attempt_timeout: 500ms }
            apps:
              acme:
                name: Acme
                message: "{otp} is your {app} code"
                otp: { code_length: 8, expires_in: 10m, max_failures: 5, lockout: 1h, resend_after: 45s }
                web_otp_domain: login.acme.example
                countries: { allow: [GB, FR], deny: [FR] }
            providers:
              main: { type: default }
            templates:
              short: "{otp}"
            routes:
              - name: uk
                match: { countries: [GB], prefixes: ["+4477"], apps: [acme], kinds: otp }
                sender: ACME
                providers: [main]
                template: short
              - { name: rest, sender: "+14155550100", providers: main }
            """, environment: ["KEY": "secret-key-123"])
        #expect(config.server.host == "::1")
        #expect(config.server.port == 9090)
        #expect(config.server.apiKeys.first?.key == "secret-key-123")
        #expect(config.storage == .sqlite(SQLiteSettings(path: "/tmp/x.sqlite")))
        #expect(config.messages.maxSegments == 5)
        #expect(config.delivery.deadline == .seconds(90))
        #expect(config.delivery.attemptTimeout == .milliseconds(500))
        let app = try #require(config.app("acme"))
        #expect(app.otp.codeLength == 8)
        #expect(app.otp.expiresIn == .seconds(600))
        #expect(app.otp.lockout == .seconds(3600))
        #expect(app.otp.expiresInMinutes == 10)
        #expect(app.countries.permits("GB"))
        #expect(!app.countries.permits("FR"))
        #expect(!app.countries.permits("DE"))
        #expect(config.routes[0].match == RouteMatch(countries: ["GB"], prefixes: ["4477"], apps: ["acme"], kinds: [.otp]))
        #expect(config.routes[0].sender == .alphanumeric("ACME"))
        #expect(config.routes[0].template == "short")
        #expect(config.routes[1].sender == .phoneNumber("+14155550100"))
        #expect(config.routes[1].providers == ["main"])
        #expect(config.routes[1].match.isCatchAll)
    }

    @Test("an invalid YAML document is reported at its position")
    func invalidYAML() {
        let problems = configProblems("routes:\n  - name: [unclosed\n")
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("not valid YAML") == true)
        #expect(problems.first?.line == 3)
    }

    @Test("problems print as FILE:LINE:COLUMN: message")
    func problemFormat() {
        let problem = ConfigProblem(file: "config.yaml", line: 3, column: 7, message: "something is wrong")
        #expect(problem.description == "config.yaml:3:7: something is wrong")
    }

    @Test("durations parse in every unit and refuse everything else")
    func durations() {
        #expect(Duration(configText: "30s") == .seconds(30))
        #expect(Duration(configText: "5m") == .seconds(300))
        #expect(Duration(configText: "1h") == .seconds(3600))
        #expect(Duration(configText: "1h30m") == .seconds(5400))
        #expect(Duration(configText: "250ms") == .milliseconds(250))
        #expect(Duration(configText: "2d") == .seconds(172_800))
        for bad in ["", "5", "m", "5 m", "5min", "-5s", "1.5s", "5mm", "s5"] {
            #expect(Duration(configText: bad) == nil, "\(bad) should not parse")
        }
        #expect(Duration.seconds(5400).configText == "1h30m")
    }
}

import Foundation
