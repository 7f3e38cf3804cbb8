import Foundation
import Testing
@testable import SwitchboardCore

/// `kind: verify` definitions: `start`, `check` and `prepare`, each a request with its answer's
/// fields and rules, with problems at FILE:LINE:COLUMN; and the routes that may carry them.
@Suite("verify definitions")
struct VerifyDefinitionTests {
    static let example = """
        summary: Example Verify
        kind: verify
        settings:
          key: { required: true, secret: true }
        base_url: https://verify.example
        auth: { type: bearer, token: "{settings.key}" }
        start:
          request:
            url: "{base_url}/v1/verifications"
            json: { to: "{message.to}", brand?: "{message.app}" }
          response: { fields: { message_id: /id, error_code: /error } }
          classification:
            rules:
              - { if: { http_status: [201] }, then: accepted }
            otherwise: retryable
        check:
          request:
            url: "{base_url}/v1/verifications/check"
            json: { to: "{message.to}", code: "{code}" }
          response: { fields: { status: /status, error_code: /error } }
          classification:
            rules:
              - { if: { http_status: [200], status: [approved] }, then: approved }
              - { if: { http_status: [200], status: [pending] }, then: wrong }
            otherwise: retryable
        """

    func problems(_ yaml: String) -> [String] {
        do {
            _ = try ProviderDefinitionParser.parse(yaml: yaml, type: "example-verify", file: "example-verify.yaml")
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func theExampleIsAVerifyDefinition() throws {
        let definition = try ProviderDefinitionParser.parse(yaml: Self.example, type: "example-verify", file: "example-verify.yaml")
        #expect(definition.kind == .verify)
        #expect(definition.request.method == "POST")
        #expect(definition.verify?.prepare == nil)
        #expect(definition.verify?.check.classification.rules.map(\.decision) == [.approved, .wrong])
        #expect(definition.classification.rules.map(\.decision) == [.accepted])
    }

    @Test func theReadmesExampleParses() throws {
        let readme = try String(contentsOfFile: Self.repositoryFile("providers/README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Verify providers"))
        let start = try #require(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let definition = try ProviderDefinitionParser.parse(yaml: String(readme[start.upperBound..<end.lowerBound]), type: "example", file: "README.md")
        #expect(definition.kind == .verify)
        #expect(definition.verify?.check.classification.rules.map(\.decision) == [.approved, .wrong, .expired, .locked])
    }

    static func repositoryFile(_ path: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(path).path
    }

    @Test func aCheckAnswersOnlyWhatACheckCan() {
        let found = problems(Self.example.replacingOccurrences(of: "status: [pending] }, then: wrong", with: "status: [pending] }, then: accepted"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("24:64: 'check.classification.rules[1].then' must be one of approved, wrong, expired, locked, retryable, refresh_token, not \"accepted\"") == true, "\(found)")
    }

    @Test func aStartCannotAnswerACheckDecision() {
        let found = problems(Self.example.replacingOccurrences(of: "[201] }, then: accepted", with: "[201] }, then: approved"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("14:45: 'start.classification.rules[0].then' must be one of accepted, retryable, permanent, ambiguous, refresh_token") == true, "\(found)")
    }

    @Test func onlyTheCheckHasACode() {
        let found = problems(Self.example.replacingOccurrences(of: "brand?: \"{message.app}\"", with: "code: \"{code}\""))
        #expect(found == ["10:39: 'start.request.json.code': '{code}' is the code to check; only a verify definition's 'check' has one"])
    }

    @Test func aCheckWithoutApprovedCanAcceptNoCode() {
        let found = problems(Self.example.replacingOccurrences(of: "then: approved", with: "then: wrong"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("17:3: 'check.classification' has no rule that answers approved") == true, "\(found)")
    }

    @Test func anUnknownKindIsNamedWithASuggestion() {
        let found = problems(Self.example.replacingOccurrences(of: "kind: verify", with: "kind: verfy"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("2:7: 'kind' is \"verfy\" (did you mean 'verify'?)") == true, "\(found)")
    }

    @Test func aVerifyDefinitionHasNoTopLevelRequest() {
        let found = problems(Self.example + "\nrequest: { url: \"{base_url}\" }\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("26:1: unknown key 'request' in the top level") == true, "\(found)")
    }

    // MARK: routes

    static func catalog() throws -> ProviderCatalog {
        ProviderCatalog(definitions: [try ProviderDefinitionParser.parse(yaml: example, type: "example-verify", file: "example-verify.yaml")])
    }

    static func config(route: String) -> String {
        """
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          default: { type: default }
          verify: { type: example-verify, key: k }
        routes:
        \(route)
          - { name: everyone, providers: [default] }
        """
    }

    func routeProblems(_ route: String) throws -> [String] {
        let catalog = try Self.catalog()
        do {
            _ = try ConfigParser.parse(yaml: Self.config(route: route), file: "test.yaml", environment: [:], providerTypes: catalog)
            return []
        } catch {
            return error.problems.map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func aVerifyProviderOnAnOTPRouteIsFine() throws {
        #expect(try routeProblems("  - { name: logins, match: { kinds: [otp] }, providers: [verify, default] }").isEmpty)
    }

    @Test(arguments: ["match: { apps: [demo] }, ", "match: { countries: [GB] }, ", "match: { kinds: [otp, transactional] }, "])
    func aVerifyProviderOnARouteThatCanCarryTransactionalMessagesIsAnError(match: String) throws {
        let route = "  - { name: logins, \(match)providers: [default, verify] }"
        let column = route.distance(from: route.startIndex, to: try #require(route.range(of: "verify")).lowerBound) + 1
        let found = try routeProblems(route)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("test.yaml:7:\(column): provider 'verify' is a verify provider (it sends and checks its own code)") == true, "\(found)")
        #expect(found.first?.contains("add `kinds: [otp]` to the route's match") == true)
    }

    @Test func aVerifyProviderInASplitIsCheckedToo() throws {
        let route = "  - { name: logins, match: { apps: [demo] }, split: [{ provider: verify, weight: 1 }], providers: [default] }"
        let column = route.distance(from: route.startIndex, to: try #require(route.range(of: "verify")).lowerBound) + 1
        let found = try routeProblems(route)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("test.yaml:7:\(column): provider 'verify' is a verify provider") == true, "\(found)")
    }
}
