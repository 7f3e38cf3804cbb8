import Testing
@testable import SwitchboardCore

/// Each kind of configuration error is reported at its own line and column, with a useful message.
@Suite("Configuration errors")
struct ConfigValidationTests {
    /// Lines 1–10; the cases below add lines after them or replace parts.
    static let base = """
        apps:
          demo:
            name: Demo
            message: "{otp} is your code"
        providers:
          default: { type: default }
          backup: { type: default }
        routes:
          - name: everyone
            sender: "+14155550100"
            providers: [default]
        """

    @Test func baseIsValid() {
        #expect(configProblems(Self.base).isEmpty)
    }

    @Test func unknownTopLevelKey() {
        expectOne(Self.base + "\nprovders: {}", line: 12, column: 1, contains: ["unknown key 'provders'", "did you mean 'providers'"])
    }

    @Test func unknownNestedKey() {
        let yaml = Self.base.replacingOccurrences(of: "    sender: \"+14155550100\"", with: "    sendr: \"+14155550100\"")
        expectOne(yaml, line: 10, column: 5, contains: ["unknown key 'sendr'", "'routes[0]'", "did you mean 'sender'"])
    }

    @Test func routeNamesUndefinedProvider() {
        let yaml = Self.base.replacingOccurrences(of: "providers: [default]", with: "providers: [default, twilo]")
        expectOne(yaml, line: 11, column: 26, contains: ["provider 'twilo' is not defined", "defined: default, backup"])
    }

    @Test func providerSuggestion() {
        let yaml = Self.base.replacingOccurrences(of: "providers: [default]", with: "providers: [defualt]")
        expectOne(yaml, line: 11, column: 17, contains: ["did you mean 'default'"])
    }

    @Test func duplicateRouteName() {
        let yaml = Self.base.replacingOccurrences(of: "routes:\n", with: "routes:\n  - { name: everyone, match: { countries: [GB] }, providers: [default] }\n")
        expectOne(yaml, line: 10, column: 11, contains: ["duplicate route name 'everyone'", "line 9"])
    }

    @Test func duplicateMappingKey() {
        let yaml = Self.base.replacingOccurrences(of: "  backup: { type: default }", with: "  default: { type: default }")
        expectOne(yaml, line: 7, column: 3, contains: ["duplicate key 'default'", "line 6"])
    }

    @Test func countryThatIsNotISO() {
        let yaml = Self.base.replacingOccurrences(of: "routes:\n", with: "routes:\n  - { name: uk, match: { countries: [GB, UK] }, providers: [default] }\n")
        expectOne(yaml, line: 9, column: 42, contains: ["\"UK\"", "not an ISO 3166 alpha-2", "did you mean GB"])
    }

    @Test func alphanumericSenderTooLong() {
        let yaml = Self.base.replacingOccurrences(of: "\"+14155550100\"", with: "SwitchboardCo")
        expectOne(yaml, line: 10, column: 13, contains: ["13 characters", "limit is 11"])
    }

    @Test func alphanumericSenderWithoutLetter() {
        let yaml = Self.base.replacingOccurrences(of: "\"+14155550100\"", with: "\"123 456\"")
        expectOne(yaml, line: 10, column: 13, contains: ["no letter"])
    }

    @Test func alphanumericSenderWithBadCharacter() {
        let yaml = Self.base.replacingOccurrences(of: "\"+14155550100\"", with: "ACME-UK")
        expectOne(yaml, line: 10, column: 13, contains: ["\"-\"", "A-Z, a-z, 0-9 and space"])
    }

    @Test("an alphanumeric sender on a route that can reach the US, Canada or Puerto Rico")
    func alphanumericSenderTowardRefusingCountries() {
        let yaml = Self.base.replacingOccurrences(of: "\"+14155550100\"", with: "DEMO")
        let problems = configProblems(yaml)
        #expect(Set(problems.compactMap { p in ["US", "CA", "PR"].first { p.message.contains("send to \($0) ") } }) == ["US", "CA", "PR"])
        #expect(problems.allSatisfy { $0.line == 10 && $0.column == 13 })
        #expect(problems.first?.message.contains("refuse alphanumeric senders") == true)
    }

    @Test("an earlier rule that takes all US numbers keeps the catch-all's name sender legal")
    func earlierRuleCoversRefusingCountries() {
        let yaml = Self.base
            .replacingOccurrences(of: "\"+14155550100\"", with: "DEMO")
            .replacingOccurrences(of: "routes:\n", with: "routes:\n  - { name: na, match: { countries: [US, CA, PR, VI, GU, AS, MP] }, sender: \"+14155550100\", providers: [default] }\n")
        #expect(configProblems(yaml).isEmpty)
    }

    @Test("a rule limited to one app does not cover the country for the others")
    func partialCoverIsNotEnough() {
        let yaml = Self.base
            .replacingOccurrences(of: "\"+14155550100\"", with: "DEMO")
            .replacingOccurrences(of: "routes:\n", with: "routes:\n  - { name: na, match: { countries: [US, CA, PR, VI, GU, AS, MP], apps: [demo] }, sender: \"+14155550100\", providers: [default] }\n")
        #expect(configProblems(yaml).count == 7)
    }

    @Test("a prefix rule outside +1 does not reach the US")
    func prefixOutsideNANP() {
        let yaml = Self.base.replacingOccurrences(of: "routes:\n", with: "routes:\n  - { name: uk, match: { prefixes: [\"+4477\"] }, sender: DEMO, providers: [default] }\n")
        #expect(configProblems(yaml).isEmpty)
        let nanp = Self.base.replacingOccurrences(of: "routes:\n", with: "routes:\n  - { name: nyc, match: { prefixes: [\"+1212\"] }, sender: DEMO, providers: [default] }\n")
        #expect(configProblems(nanp).count == 7)
    }

    @Test func templateWithUnknownPlaceholder() {
        let yaml = Self.base.replacingOccurrences(of: "\"{otp} is your code\"", with: "\"{otp} is your {ap} code\"")
        expectOne(yaml, line: 4, column: 14, contains: ["{ap}", "'apps.demo.message'"])
    }

    @Test func otpTemplateWithoutOTP() {
        let yaml = Self.base.replacingOccurrences(of: "\"{otp} is your code\"", with: "\"Your {app} code\"")
        expectOne(yaml, line: 4, column: 14, contains: ["no {otp} placeholder"])
    }

    @Test func routeTemplateWithoutOTPOnOTPRoute() {
        let yaml = Self.base
            .replacingOccurrences(of: "routes:\n", with: "templates:\n  hello: \"Hello from {app}\"\nroutes:\n")
            .replacingOccurrences(of: "    providers: [default]", with: "    providers: [default]\n    template: hello")
        expectOne(yaml, line: 14, column: 15, contains: ["no {otp} placeholder", "kinds: [transactional]"])
    }

    @Test func durationThatDoesNotParse() {
        let yaml = Self.base.replacingOccurrences(of: "    message: \"{otp} is your code\"", with: "    message: \"{otp} is your code\"\n    otp: { expires_in: 5 minutes }")
        expectOne(yaml, line: 5, column: 24, contains: ["\"5 minutes\" is not a duration", "30s, 5m or 1h"])
    }

    @Test("an unset environment variable is named, and no value is printed")
    func unsetEnvironmentVariable() {
        let yaml = "server:\n  api_keys:\n    - { name: ci, key: \"${CI_API_KEY}\" }\n" + Self.base
        expectOne(yaml, line: 3, column: 24, contains: ["CI_API_KEY is not set", "'server.api_keys[0].key'"], environment: ["OTHER": "hunter2"])
        #expect(configProblems(yaml, environment: ["CI_API_KEY": "long-enough-key"]).isEmpty)
        #expect(configProblems(yaml.replacingOccurrences(of: "${CI_API_KEY}", with: "${CI_API_KEY:-fallback-key}")).isEmpty)
    }

    @Test("a value from the environment is never printed in a problem")
    func environmentValuesStaySecret() {
        let yaml = "delivery: { deadline: \"${DEADLINE}\" }\n" + Self.base
        let problems = configProblems(yaml, environment: ["DEADLINE": "s3cr3t-value"])
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("s3cr3t-value") == false)
        #expect(problems.first?.message.contains("${DEADLINE}") == true)
    }

    @Test("every problem is reported in one run, in file order")
    func allProblemsAtOnce() {
        let yaml = """
            servr: {}
            apps:
              demo:
                name: Demo
                message: "{code}"
            providers:
              default: { type: twillio }
            routes:
              - name: a
                match: { countries: [XX], kinds: [sms] }
                providers: [nope]
            """
        let problems = configProblems(yaml)
        #expect(problems.map(\.line) == [1, 5, 7, 10, 10, 11])
        #expect(problems[0].message.contains("did you mean 'server'"))
        #expect(problems[3].message.contains("\"XX\""))
        #expect(problems[4].message.contains("\"sms\""))
    }

    @Test func missingRequiredFields() {
        let problems = configProblems("apps:\n  demo: { message: \"{otp}\" }\nproviders: { default: { type: default } }\nroutes:\n  - { providers: [default] }\n")
        #expect(problems.map(\.line) == [2, 5])
        #expect(problems[0].message.contains("needs 'name'"))
        #expect(problems[1].message.contains("needs 'name'"))
    }

    @Test func rulesAfterACatchAllAreUnreachable() {
        let yaml = Self.base + "\n  - { name: late, match: { countries: [GB] }, sender: \"+14155550100\", providers: [default] }"
        expectOne(yaml, line: 12, column: 5, contains: ["'late' can never match", "'everyone'"])
    }

    @Test func outOfRangeNumbers() {
        let yaml = Self.base.replacingOccurrences(of: "    message: \"{otp} is your code\"", with: "    message: \"{otp} is your code\"\n    otp: { code_length: 12 }")
        expectOne(yaml, line: 5, column: 25, contains: ["from 4 to 10", "\"12\""])
    }
}

import Foundation
