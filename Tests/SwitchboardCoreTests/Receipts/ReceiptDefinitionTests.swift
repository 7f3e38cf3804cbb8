import Foundation
import SwitchboardTestSupport
import Testing
@testable import SwitchboardCore

/// The `receipt:` section of a provider definition, and `receipts:` on a provider instance: read
/// as written, every mistake a problem at FILE:LINE:COLUMN.
@Suite("Receipt definitions and settings")
struct ReceiptDefinitionTests {
    /// A definition whose `receipt` section starts on line 16; `receiptLines` replace its body.
    static func definition(_ receiptLines: String? = nil) -> String {
        """
        summary: Example
        settings:
          key: { required: true, secret: true }
          signing_key: { secret: true }
        base_url: https://sms.example
        request:
          url: "{base_url}/send"
          form: { to: "{message.to}", text: "{message.text}", callback?: "{receipt.url}" }
        response:
          fields: { message_id: /id }
        classification:
          rules:
            - { if: { http_status: [201] }, then: accepted }
          otherwise: retryable
        # the receipt
        receipt:
        \(receiptLines ?? """
          accepts: [form, query]
          auth: { type: vonage_signature, secret: "{settings.signing_key}" }
          fields: { message_id: id, status: state, error_code: code }
          statuses: { delivered: [DELIVRD], undelivered: [EXPIRED, UNDELIV], failed: [REJECTD] }
        """)
        """
    }

    func problems(_ yaml: String) -> [String] {
        do {
            _ = try ProviderDefinitionParser.parse(yaml: yaml, type: "example", file: "example.yaml")
            return []
        } catch {
            return error.problems.map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func theExampleReadsAsWritten() throws {
        let definition = try ProviderDefinitionParser.parse(yaml: Self.definition(), type: "example", file: "example.yaml")
        let receipt = try #require(definition.receipt)
        #expect(receipt.accepts == [.form, .query])
        #expect(receipt.messageIDField == "id")
        #expect(receipt.statusField == "state")
        #expect(receipt.errorCodeField == "code")
        #expect(receipt.statuses == ["DELIVRD": .delivered, "EXPIRED": .undelivered, "UNDELIV": .undelivered, "REJECTD": .failed])
        guard case .vonageSignature(let secret) = receipt.auth else {
            Issue.record("auth is \(receipt.auth)")
            return
        }
        #expect(secret.variables == ["settings.signing_key"])
    }

    @Test func theShippedDefinitionsDeclareReceipts() throws {
        for (type, accepts) in [("twilio", [ProviderDefinition.ReceiptShape.form]), ("vonage", [.query, .json])] {
            let path = repositoryPath("providers/\(type).yaml")
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            let definition = try ProviderDefinitionParser.parse(yaml: yaml, type: type, file: path)
            #expect(definition.receipt?.accepts == accepts)
            #expect(definition.receipt?.statuses["delivered"] == .delivered)
        }
    }

    @Test func anUnknownStatusOfOursIsAProblemWhereItIsWritten() {
        let yaml = Self.definition("""
              accepts: [form]
              auth: { type: token }
              fields: { message_id: id, status: state }
              statuses: { delivred: [DELIVRD] }
            """)
        #expect(problems(yaml) == [
            "example.yaml:20:15: unknown key 'delivred' in 'receipt.statuses' (did you mean 'delivered'?); allowed keys: sent, delivered, undelivered, failed"
        ])
    }

    @Test func aProviderStatusMappedTwiceIsAProblem() {
        let yaml = Self.definition("""
              accepts: [form]
              auth: { type: token }
              fields: { message_id: id, status: state }
              statuses: { delivered: [OK], failed: [OK] }
            """)
        #expect(problems(yaml) == ["example.yaml:20:41: provider status \"OK\" is already mapped to 'delivered'; a status may mean one thing only"])
    }

    @Test func anUnknownShapeAndAMissingMessageIDAreEachAProblem() {
        let yaml = Self.definition("""
              accepts: [xml]
              auth: { type: token }
              fields: { status: state }
              statuses: { delivered: [OK] }
            """)
        #expect(problems(yaml) == [
            "example.yaml:17:13: 'receipt.accepts[0]': unknown shape \"xml\"; use form, json or query",
            "example.yaml:19:11: 'receipt.fields' needs 'message_id'",
        ])
    }

    @Test func aTwilioSignatureCoversFormsOnly() {
        let yaml = Self.definition("""
              accepts: [json]
              auth: { type: twilio_signature, key: "{settings.key}" }
              fields: { message_id: id, status: state }
              statuses: { delivered: [OK] }
            """)
        #expect(problems(yaml) == ["example.yaml:17:3: 'receipt.accepts' must be [form] with 'twilio_signature': the signature covers form parameters only"])
    }

    @Test func theReceiptURLNeedsAReceiptSection() {
        let yaml = Self.definition().components(separatedBy: "# the receipt")[0]
        #expect(problems(yaml) == [
            "example.yaml:8:66: 'request.form.callback?': '{receipt.url}' is the callback URL for delivery receipts; declare a 'receipt' section to use it"
        ])
    }

    // MARK: the instance's settings

    static func catalog() throws -> ProviderCatalog {
        ProviderCatalog(definitions: [try ProviderDefinitionParser.parse(yaml: definition(), type: "example", file: "example.yaml")])
    }

    /// A configuration whose `ex` provider instance has these extra lines, starting on line 5.
    static func config(_ instanceLines: String) -> String {
        """
        providers:
          ex:
            type: example
            key: k
        \(instanceLines)
        routes:
          - { name: all, providers: [ex] }
        """
    }

    func configProblems(_ yaml: String) throws -> [String] {
        let catalog = try Self.catalog()
        do {
            _ = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func receiptsGiveTheCallbackURLWithItsToken() throws {
        let yaml = Self.config("    receipts: { public_url: \"https://sms.example.com/\", token: abcdefghijklmnop0123 }")
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: try Self.catalog())
        let receipts = try #require(config.providers.first?.receipts)
        #expect(receipts.callbackURL(provider: "ex") == "https://sms.example.com/v1/receipts/ex?token=abcdefghijklmnop0123")
    }

    @Test func receiptsWithoutAPublicURLAreAProblem() throws {
        #expect(try configProblems(Self.config("    receipts: { token: abcdefghijklmnop0123 }")) == [
            "5:15: 'providers.ex.receipts' needs 'public_url': the address ex reaches this daemon at, such as https://sms.example.com"
        ])
    }

    @Test func receiptsNobodyCouldAuthenticateAreAProblem() throws {
        // Neither the signing key's setting nor a token.
        #expect(try configProblems(Self.config("    receipts: { public_url: https://sms.example.com }")) == [
            "5:15: 'providers.ex.receipts' cannot authenticate receipts: set the provider's 'signing_key' (the signature key) or 'receipts.token'"
        ])
    }

    @Test func aShortTokenIsAProblem() throws {
        let problems = try configProblems(Self.config("    receipts: { public_url: https://sms.example.com, token: short }"))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("5:61: 'providers.ex.receipts.token' must be at least 16 letters") == true, "\(problems)")
    }

    @Test func aPublicURLWithAQueryIsAProblem() throws {
        let problems = try configProblems(Self.config("    receipts: { public_url: \"https://sms.example.com/?a=1\", token: abcdefghijklmnop0123 }"))
        #expect(problems == [
            "5:29: 'providers.ex.receipts.public_url' must be an http:// or https:// address without a query or fragment, not \"https://sms.example.com/?a=1\""
        ], "\(problems)")
    }
}
