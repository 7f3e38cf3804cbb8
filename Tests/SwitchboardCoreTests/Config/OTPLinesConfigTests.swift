import Foundation
import Logging
import SwitchboardStore
import SwitchboardTestSupport
import Testing
@testable import SwitchboardCore

/// `apps.ID.web_otp_domain`, `apps.ID.android_app_hash` and templates' `{{`/`}}`, from the file to
/// the text a provider is handed.
@Suite("OTP lines and templates from configuration")
struct OTPLinesConfigTests {
    typealias R = ConfigReference

    /// The text the only provider is handed for an OTP with code 123456, sent by app `demo` of `yaml`.
    func otpText(_ yaml: String, kind: MessageKind = .otp) async throws -> String? {
        let config = try parseConfig(yaml)
        let provider = ScriptedProvider.accepting("default")
        // Alarms not run: these providers answer at once, and no cut-off may race them on a starved runner.
        let dispatcher = FailoverDispatcher(providers: [provider], attemptTimeout: .seconds(1), breakers: CircuitBreakerRegistry(settings: BreakerSettings()), alarms: Alarms())
        let gateway = Gateway(config: config, dispatcher: dispatcher, store: MemoryStore())
        _ = try await gateway.send(
            SendRequest(to: "+447700900123", app: "demo", kind: kind, content: .template(otp: "123456", minutes: nil)), logger: Logger(label: "test")
        )
        return provider.calls.first?.text
    }

    @Test("the Android hash gets its own line, and the WebOTP line is the message's last")
    func bothLines() async throws {
        let yaml = R.app("web_otp_domain: login.example.com\n    android_app_hash: FA+9qCX9VSu")
        #expect(try await otpText(yaml) == "123456 is your code\nFA+9qCX9VSu\n@login.example.com #123456")
    }

    @Test("the Android hash alone ends the message")
    func hashAlone() async throws {
        #expect(try await otpText(R.app("android_app_hash: FA+9qCX9VSu")) == "123456 is your code\nFA+9qCX9VSu")
    }

    @Test("without either key the message is the app's message alone")
    func neither() async throws {
        #expect(try await otpText(ConfigReference.rest) == "123456 is your code")
    }

    @Test("a WebOTP domain that is not a host name is refused at the value")
    func badDomain() {
        #expect(
            R.printed(R.app("web_otp_domain: https://login.example.com"))
                == ["test.yaml:5:21: 'apps.demo.web_otp_domain': 'https://login.example.com' is a URL; write only the host name, such as login.example.com, without the scheme"]
        )
    }

    @Test("an Android hash that is not 11 characters is refused at the value")
    func badHash() {
        #expect(
            R.printed(R.app("android_app_hash: FA+9qCX9VS"))
                == ["test.yaml:5:23: 'apps.demo.android_app_hash': 'FA+9qCX9VS' has 10 characters; an Android app hash is exactly 11 characters of A-Z, a-z, 0-9, '+' and '/'"]
        )
    }

    @Test("{{ and }} write literal braces in an app's message")
    func literalBraces() async throws {
        let yaml = R.rest.replacingOccurrences(of: "\"{otp} is your code\"", with: "\"{{{otp}}} is your {{app}} code\"")
        #expect(try await otpText(yaml) == "{123456} is your {app} code")
    }

    @Test("a lone brace in a template is refused at the template")
    func loneBrace() {
        let yaml = R.rest.replacingOccurrences(of: "\"{otp} is your code\"", with: "\"{otp} is your code}\"")
        #expect(
            R.printed(yaml)
                == ["test.yaml:4:14: 'apps.demo.message': '}' has no '{' before it; write '}}' for a literal '}' (at character 19 of the template)"]
        )
    }
}
