import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

@Suite("provider definitions")
struct DefinitionTests {
    @Test func theShippedDefinitionsLoad() throws {
        let catalog = try shippedCatalog()
        #expect(catalog.definitions.keys.sorted() == ["mosaic", "mosaic-gateway", "sfmc-rest", "sfmc-soap", "twilio", "twilio-verify", "vonage"])
    }

    /// A folder of definition files in a temporary directory.
    func folder(_ files: [String: String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sb-defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url.path
    }

    func problems(_ files: [String: String]) throws -> [String] {
        let path = try folder(files)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ProviderCatalog.load(directory: path)
            return []
        } catch {
            return error.problems.map { "\(($0.file as NSString).lastPathComponent):\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func aNewProviderIsJustAFile() async throws {
        // A made-up provider: bearer auth, JSON body with a nested object, an id in an array, and a
        // 200 that can carry an error. No Swift knows about it.
        let definition = """
            summary: Example SMS
            settings:
              token: { required: true, secret: true }
              region: { default: eu }
            base_url: "https://{settings.region}.sms.example"
            auth: { type: bearer, token: "{settings.token}" }
            request:
              url: "{base_url}/v3/{settings.region}/messages?ref={message.id}"
              json:
                to: ["{message.to}"]
                from?: "{message.sender}"
                body: { text: "{message.text}", unicode: { $value: true, $if: "message.encoding == ucs2" } }
                priority: 1
            response:
              fields:
                message_id: /results/0/id
                error_code: /error/code
            classification:
              rules:
                - { if: { http_status: [2xx], error_code: ["-"] }, then: accepted }
                - { if: { error_code: [E_NUMBER] }, then: permanent }
              otherwise: retryable
            """
        let path = try folder(["example-sms.yaml": definition])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let catalog = try ProviderCatalog.load(directory: path)
        let server = try await FakeHTTPServer { request in
            guard request.header("Authorization") == "Bearer s3cret" else { return .json(401, "{}") }
            if request.json?["to"] as? [String] == ["+33612345678"] { return .json(200, #"{"error":{"code":"E_NUMBER"}}"#) }
            return .json(200, #"{"results":[{"id":"ex-42"}]}"#)
        }
        let text = "a & b < c > d \" e ' f ]]> g % h\n\u{1F44D}"
        let (accepted, refused) = try await withProvider(type: "example-sms", settings: "token: s3cret\nbase_url: \(server.baseURL)", catalog: catalog) { provider in
            (await send(provider, try message(sender: "My Shop", text: text, encoding: .ucs2)), await send(provider, try message(to: "+33612345678")))
        }
        await server.shutdown()
        #expect(accepted.outcome == .accepted)
        #expect(accepted.providerMessageID == "ex-42")
        #expect(refused.outcome == .permanent)
        #expect(refused.code == "E_NUMBER")
        let request = try #require(server.requests.first)
        #expect(request.uri == "/v3/eu/messages?ref=msg_01TEST")
        #expect(request.header("Content-Type") == "application/json")
        let body = try #require(request.json)
        #expect(body["to"] as? [String] == ["+447700900123"])
        #expect(body["from"] as? String == "My Shop")
        #expect(body["priority"] as? Int == 1)
        let inner = try #require(body["body"] as? [String: Any])
        #expect(inner["text"] as? String == text)
        #expect(inner["unicode"] as? Bool == true)
        #expect(server.requests[1].json?["body"].flatMap { ($0 as? [String: Any])?["unicode"] } == nil)
    }

    @Test func urlValuesArePercentEncodedInTheirComponent() async throws {
        let definition = """
            settings:
              account: { required: true }
            request:
              url: "{base_url}/accounts/{settings.account}/send?to={message.to}&text={message.text}"
            response: { fields: {} }
            classification: { rules: [{ if: { http_status: [2xx] }, then: accepted }] }
            """
        let path = try folder(["path-test.yaml": definition])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try await FakeHTTPServer { _ in .respond(status: 204) }
        let response = try await withProvider(type: "path-test", settings: "account: \"a/b?c#d\"\nbase_url: \(server.baseURL)", catalog: try ProviderCatalog.load(directory: path)) {
            await send($0, try message(text: "x&y=z %"))
        }
        await server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(server.requests.first?.uri == "/accounts/a%2Fb%3Fc%23d/send?to=%2B447700900123&text=x%26y%3Dz%20%25")
    }

    @Test func definitionErrorsNameFileLineAndColumn() throws {
        let found = try problems([
            "broken.yaml": """
                settings:
                  key: { required: true, secrte: true }
                auth:
                  type: basik
                request:
                  url: "{base_url}/send/{settings.kee}"
                  form:
                    To: "{message.too}"
                response:
                  format: xml
                  fields:
                    id: /x:Envelope
                classification:
                  rules:
                    - { if: { http_stauts: [200] }, then: accepted }
                    - { if: { http_status: [200] }, then: acepted }
                """,
            "soapy.yaml": """
                request:
                  url: "{base_url}"
                  xml: { template: soapy.xml }
                response: { format: xml, fields: {} }
                classification: { rules: [] }
                """,
            "soapy.xml": "<a>\n  <b>{message.text}</b>\n  <c>{settings.nope}</c>\n</a>\n",
        ])
        #expect(found.contains("broken.yaml:2:26: unknown key 'secrte' in 'settings.key' (did you mean 'secret'?); allowed keys: required, secret, default, description"))
        #expect(found.contains("broken.yaml:4:9: unknown auth type \"basik\" (did you mean 'basic'?); known: none, basic, bearer, header, query, oauth2"))
        #expect(found.contains { $0.hasPrefix("broken.yaml:6:8: 'request.url': '{settings.kee}' names a setting that 'settings' does not declare (did you mean 'key'?)") })
        #expect(found.contains { $0.hasPrefix("broken.yaml:8:9: 'request.form.To': unknown placeholder '{message.too}' (did you mean 'message.to'?)") }, "\(found)")
        #expect(found.contains("broken.yaml:12:9: 'response.fields.id' uses the namespace prefix 'x', which 'response.namespaces' does not define"))
        #expect(found.contains { $0.hasPrefix("broken.yaml:15:15: 'http_stauts' is neither http_status nor a field under 'response.fields' (did you mean 'http_status'?)") })
        #expect(found.contains { $0.hasPrefix("broken.yaml:16:43: 'classification.rules[1].then' must be one of accepted, retryable, permanent, ambiguous, refresh_token, not \"acepted\"") })
        #expect(found.contains { $0.hasPrefix("soapy.xml:3:6: '{settings.nope}' names a setting that 'settings' does not declare") })
    }

    @Test func theShippedConfigAndItsCommentedProviderExamplesAreValid() throws {
        let text = try String(contentsOfFile: repositoryPath("config.yaml"), encoding: .utf8)
        let catalog = try shippedCatalog()
        let shipped = try ConfigParser.parse(yaml: text, file: "config.yaml", environment: [:], providerTypes: catalog)
        #expect(shipped.providers.map(\.type) == ["default"])
        // Uncomment the examples under `providers:` (the lines `  # name:` and `  #   key: value`).
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            if line.hasPrefix("  # "), line.dropFirst(4).first?.isLetter == true, line.hasSuffix(":"), !line.dropFirst(4).contains(" ") { return "  " + line.dropFirst(4) }
            if line.hasPrefix("  #   ") { return "    " + line.dropFirst(6) }
            return line
        }.joined(separator: "\n")
        let environment = [
            "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "SFMC_SUBDOMAIN": "mc", "SFMC_CLIENT_ID": "id", "SFMC_CLIENT_SECRET": "s",
            "MOSAIC_CLIENT_ID": "mosaic-id", "MOSAIC_CLIENT_SECRET": "mosaic-secret",
        ]
        let examples = try ConfigParser.parse(yaml: uncommented, file: "config.yaml", environment: environment, providerTypes: catalog)
        #expect(examples.providers.map(\.type) == ["default", "mosaic", "twilio", "sfmc-soap"])
        #expect(examples.providers[1].baseURL == "https://api.eu.transmitsecurity.io")
        #expect(examples.providers[3].settings["definition_key"] == "OTP_SMS")
        // The commented route sends OTP logins to Mosaic, then Twilio.
        let routed = uncommented.replacingOccurrences(of: "\n# - ", with: "\n  - ").replacingOccurrences(of: "\n#   ", with: "\n    ")
        let withRoute = try ConfigParser.parse(yaml: routed, file: "config.yaml", environment: environment, providerTypes: catalog)
        #expect(withRoute.routes.first?.providers == ["mosaic", "twilio"])
    }

    @Test func anEnvelopeTemplateMustBeWellFormed() throws {
        let found = try problems([
            "soapy.yaml": """
                request:
                  url: "{base_url}"
                  xml: { template: soapy.xml }
                response: { format: xml, fields: {} }
                classification: { rules: [] }
                """,
            "soapy.xml": "<a>\n  <b>{message.text}</b>\n  <c>{message.to}</d>\n</a>\n",
        ])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("soapy.xml:3:1: the template is not well-formed XML") == true, "\(found)")
    }

    @Test func instanceSettingsAreCheckedAgainstTheType() throws {
        let catalog = try shippedCatalog()
        let yaml = """
            providers:
              twilio:
                type: twilio
                account_sid: AC123
                auth_tokn: ${TWILIO_TOKEN}
              sfmc:
                type: sfmc-soapp
              gateway:
                type: mosaic-gateway
                api_key: k
            routes:
              - { name: all, providers: [twilio] }
            """
        var found: [String] = []
        do {
            _ = try ConfigParser.parse(yaml: yaml, file: "config.yaml", environment: ["TWILIO_TOKEN": "x"], providerTypes: catalog)
        } catch {
            found = error.problems.map(\.description)
        }
        #expect(found.contains { $0.hasPrefix("config.yaml:3:5: provider 'twilio' (type twilio) needs 'auth_token'") })
        #expect(found.contains { $0.hasPrefix("config.yaml:5:5: unknown key 'auth_tokn' in 'providers.twilio' (did you mean 'auth_token'?)") })
        #expect(found.contains { $0.hasPrefix("config.yaml:7:11: provider 'sfmc' has unknown type \"sfmc-soapp\" (did you mean 'sfmc-soap'?)") })
        #expect(found.contains { $0.hasPrefix("config.yaml:9:5: provider 'gateway' needs 'base_url': the mosaic-gateway type has no default address") })
        #expect(found.count == 4)
    }

    @Test func aRequestHeaderCannotBeInjected() async throws {
        let definition = """
            settings:
              key: { required: true }
            auth: { type: header, name: X-Key, value: "{settings.key}" }
            request:
              url: "{base_url}/send"
            response: { fields: {} }
            classification: { rules: [{ if: { http_status: [2xx] }, then: accepted }] }
            """
        let path = try folder(["header-test.yaml": definition])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try await FakeHTTPServer { _ in .respond(status: 204) }
        let response = try await withProvider(type: "header-test", settings: "key: \"a\\r\\nX-Evil: 1\"\nbase_url: \(server.baseURL)", catalog: try ProviderCatalog.load(directory: path)) {
            await send($0, try message())
        }
        await server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "request_unbuildable")
        #expect(server.requests.isEmpty)
    }

    @Test func oauth2WithAFormTokenRequestAndAnAPIKeyInTheQuery() async throws {
        let oauth = """
            settings:
              client_id: { required: true }
              client_secret: { required: true, secret: true }
              audience: {}
            auth:
              type: oauth2
              token_url: "{base_url}/oauth/token"
              encoding: form
              client_id: "{settings.client_id}"
              client_secret: "{settings.client_secret}"
              fields: { audience?: "{settings.audience}", scope: sms.send }
            request:
              url: "{base_url}/send"
              form: { to: "{message.to}", text: "{message.text}" }
            response: { fields: { message_id: /id } }
            classification:
              rules:
                - { if: { http_status: [2xx] }, then: accepted }
                - { if: { http_status: [401] }, then: refresh_token }
            """
        let query = """
            settings:
              key: { required: true, secret: true }
            auth: { type: query, name: api_key, value: "{settings.key}" }
            request:
              url: "{base_url}/send?format=json"
              form: { to: "{message.to_digits}" }
            response: { fields: {} }
            classification: { rules: [{ if: { http_status: [2xx] }, then: accepted }] }
            """
        let path = try folder(["form-oauth.yaml": oauth, "query-key.yaml": query])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let catalog = try ProviderCatalog.load(directory: path)
        let server = try await FakeHTTPServer { request in
            if request.path == "/oauth/token" { return .json(200, #"{"access_token":"form-token","expires_in":3600}"#) }
            if request.header("Authorization") == "Bearer form-token" || request.uri.contains("api_key=k%26y") { return .json(200, #"{"id":"m-1"}"#) }
            return .json(401, "{}")
        }
        let viaOAuth = try await withProvider(
            type: "form-oauth", settings: "client_id: app one\nclient_secret: s&cret\naudience: https://sms.example\nbase_url: \(server.baseURL)", catalog: catalog
        ) { await send($0, try message()) }
        let viaQuery = try await withProvider(type: "query-key", settings: "key: k&y\nbase_url: \(server.baseURL)", catalog: catalog) {
            await send($0, try message())
        }
        await server.shutdown()
        #expect(viaOAuth.outcome == .accepted)
        #expect(viaOAuth.providerMessageID == "m-1")
        #expect(viaQuery.outcome == .accepted)
        let token = try #require(server.requests.first)
        #expect(token.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(token.formFields.map(\.0) == ["grant_type", "client_id", "client_secret", "audience", "scope"])
        #expect(token.formField("client_id") == "app one")
        #expect(token.formField("client_secret") == "s&cret")
        #expect(token.formField("audience") == "https://sms.example")
        #expect(token.formField("scope") == "sms.send")
        #expect(server.requests.last?.uri == "/send?format=json&api_key=k%26y")
    }
}
