import Foundation
import Testing
@testable import SwitchboardCore

/// `${NAME}`, `${NAME:-fallback}` and `$${`, and the promise that problems never print a value that
/// came from the environment.
@Suite("Configuration environment references")
struct ConfigEnvironmentTests {
    typealias R = ConfigReference

    static func apiKey(_ written: String) -> String {
        "server:\n  api_keys: [{ name: ci, key: \"\(written)\" }]\n" + R.rest
    }

    @Test("${NAME} is replaced by the variable's value")
    func variableIsExpanded() throws {
        let keys = try parseConfig(Self.apiKey("sk_${KEY_PART}_live"), environment: ["KEY_PART": "0123456789"]).server.apiKeys
        #expect(keys.map(\.key) == ["sk_0123456789_live"])
    }

    @Test("${NAME} of an unset variable is refused, naming the variable and the key")
    func unsetVariable() {
        #expect(
            R.printed(Self.apiKey("${CI_API_KEY}"), environment: ["CI_API_KEYS": "0123456789"])
                == ["test.yaml:2:31: environment variable CI_API_KEY is not set (used by 'server.api_keys[0].key'); set it, or give a fallback with ${CI_API_KEY:-fallback}"]
        )
    }

    @Test("${NAME:-fallback} takes the fallback when the variable is unset, and the variable when it is set")
    func fallback() throws {
        let yaml = Self.apiKey("${CI_API_KEY:-fallback-key}")
        #expect(try parseConfig(yaml).server.apiKeys.map(\.key) == ["fallback-key"])
        #expect(try parseConfig(yaml, environment: ["CI_API_KEY": "from-the-environment"]).server.apiKeys.map(\.key) == ["from-the-environment"])
    }

    @Test("$${ writes a literal ${, whether or not a variable of that name is set")
    func escapedReference() throws {
        let yaml = Self.apiKey("pre$${CI_API_KEY}post")
        #expect(try parseConfig(yaml).server.apiKeys.map(\.key) == ["pre${CI_API_KEY}post"])
        #expect(try parseConfig(yaml, environment: ["CI_API_KEY": "0123456789"]).server.apiKeys.map(\.key) == ["pre${CI_API_KEY}post"])
    }

    @Test("a $ that starts no reference is kept as written")
    func plainDollar() throws {
        #expect(try parseConfig(Self.apiKey("pa$$word$1")).server.apiKeys.map(\.key) == ["pa$$word$1"])
    }

    @Test("an unclosed ${ is refused, saying how to write a literal one")
    func unclosedReference() {
        #expect(
            R.printed(Self.apiKey("abc${KEY"))
                == ["test.yaml:2:31: 'server.api_keys[0].key': '${' is not closed by '}'; write ${NAME} or ${NAME:-fallback}, or $${ for a literal ${"]
        )
    }

    @Test("a reference whose name is not a variable name is refused")
    func badVariableName() {
        #expect(
            R.printed(Self.apiKey("${1KEY}"))
                == ["test.yaml:2:31: 'server.api_keys[0].key': '${1KEY}' is not a variable reference; names are letters, digits and _, not starting with a digit"]
        )
    }

    /// Each case writes `${SECRET}` where a wrong value makes a problem; the value must never show.
    static let secret = "Zq7s3cr3tValue"
    static let secretCases: [(key: String, yaml: String, value: String)] = [
        ("server.listen", "server: { listen: \"${SECRET}\" }\n" + R.rest, secret),
        ("server.issuer", "server: { issuer: \"${SECRET}\" }\n" + R.rest, secret),
        ("server.api_keys", apiKey("${SECRET}"), "Zq7s3c"),
        ("messages.max_segments", "messages: { max_segments: \"${SECRET}\" }\n" + R.rest, secret),
        ("delivery.deadline", "delivery: { deadline: \"${SECRET}\" }\n" + R.rest, secret),
        ("apps.ID.clients", R.app("clients: [{ id: backend, secret: \"${SECRET}\" }]"), secret),
        ("apps.ID.web_otp_domain", R.app("web_otp_domain: \"${SECRET}\""), "https://\(secret).example"),
        ("apps.ID.android_app_hash", R.app("android_app_hash: \"${SECRET}\""), secret),
        ("apps.ID.unknown_users", R.app("unknown_users: \"${SECRET}\""), secret),
        ("apps.ID.resources", R.app("resources: [\"${SECRET}\"]"), secret),
        ("apps.ID.countries", R.app("countries: { allow: [\"${SECRET}\"] }"), secret),
        ("routes[].sender", R.rest.replacingOccurrences(of: "\"+14155550100\"", with: "\"${SECRET}\""), "\(secret)-UK"),
        ("routes[].providers", R.rest.replacingOccurrences(of: "providers: [default]", with: "providers: [\"${SECRET}\"]"), secret),
        ("routes[].match.apps", R.rest.replacingOccurrences(of: "sender:", with: "match: { apps: [\"${SECRET}\"] }, sender:"), secret),
    ]

    @Test("a problem with a value from the environment shows the reference, never the value", arguments: ConfigEnvironmentTests.secretCases)
    func environmentValuesNeverPrinted(key: String, yaml: String, value: String) {
        let printed = R.printed(yaml, environment: ["SECRET": value])
        #expect(printed.count == 1, "\(key): \(printed)")
        #expect(printed.allSatisfy { !$0.contains(value) && !$0.contains(Self.secret) }, "\(key): \(printed)")
    }
}
