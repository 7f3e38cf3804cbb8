import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchboardCore
import SwitchboardProviders
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The receipt endpoint's tests: an app with receipts on a Twilio and two Vonage instances, whose
/// public address (`https://sms.example.com/gw`, a proxy's) is not where the app listens.
enum ReceiptTest {
    static let publicURL = "https://sms.example.com/gw"
    static let twilioToken = "twilio-auth-token-0123"
    static let vonageSecret = "vonage-signature-secret-0123"
    static let vonageToken = "vonage-receipt-token-0123"

    static func yaml(twilioBaseURL: String = "http://127.0.0.1:9", account: String = "AC" + String(repeating: "0", count: 32)) -> String {
        """
        server:
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo: { name: Demo, message: "{otp} is your {app} code" }
        providers:
          default: { type: default }
          twilio:
            type: twilio
            account_sid: \(account)
            auth_token: \(twilioToken)
            base_url: \(twilioBaseURL)
            receipts: { public_url: "\(publicURL)" }
          vonage:
            type: vonage
            api_key: key
            api_secret: secret
            signature_secret: \(vonageSecret)
            receipts: { public_url: "\(publicURL)", token: \(vonageToken) }
          vonage-plain:
            type: vonage
            api_key: key
            api_secret: secret
            receipts: { public_url: "\(publicURL)", token: \(vonageToken) }
        routes:
          - { name: all, sender: "+14155550100", providers: [twilio] }
        """
    }

    /// A message `provider` accepted as `providerMessageID`, as the log holds it.
    static func accepted(id: String, provider: String, providerMessageID: String) -> MessageRecord {
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        return MessageRecord(
            id: id, app: "demo", kind: .transactional, to: "+14155550123", country: "US", route: "all", sender: "+14155550100",
            loggedText: "Hello", encoding: .gsm7, segments: 1, status: .accepted, provider: provider, providerMessageID: providerMessageID,
            attempts: [
                DeliveryAttempt(provider: provider, outcome: .accepted, providerMessageID: providerMessageID, latencyMicroseconds: 1_000, startedAt: created)
            ],
            createdAt: created, updatedAt: created
        )
    }

    /// Runs `body` against the app, with its store and metrics.
    static func withApp(
        yaml: String = yaml(), testing: TestingSetup = .router, webhooks: (any WebhookStore)? = nil,
        _ body: @Sendable (any TestClientProtocol, MemoryStore, ServerMetrics) async throws -> Void
    ) async throws {
        let catalog = try ProviderCatalog.load(directory: repositoryPath("providers"))
        let config = try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:], providerTypes: catalog)
        let store = MemoryStore()
        let metrics = ServerMetrics()
        var dependencies = ServerDependencies(config: config, messages: store, inbox: store, providerTypes: catalog, metrics: metrics)
        dependencies.webhooks = webhooks
        let app = buildApplication(dependencies, logger: Logger(label: "test"))
        try await app.test(testing) { client in try await body(client, store, metrics) }
    }

    /// What Twilio's own `RequestValidator` (the `twilio` package) signs these parameters with.
    static func twilioSignature(url: String, _ parameters: [String: String], token: String = twilioToken) async throws -> String {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys]), as: UTF8.self)
        return try await signer(["twilio", token, url, json])
    }

    /// A Vonage signed-webhook JWT for `body`, made by Python's `hmac` and `hashlib`.
    static func vonageJWT(body: String, secret: String = vonageSecret) async throws -> String {
        try await signer(["vonage", secret, body])
    }

    private static func signer(_ arguments: [String]) async throws -> String {
        let python = repositoryPath(".build-fuzz-venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python), "\(python) is missing: run scripts/setup")
        let run = try await runExternalTool(python, [repositoryPath("Tests/Interop/receipt_signatures.py")] + arguments)
        try #require(run.status == 0, "the signer failed: \(run.output)")
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `application/x-www-form-urlencoded` text of the parameters, sorted by name.
    static func form(_ parameters: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return parameters.sorted { $0.key < $1.key }.map {
            "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// The error code of an error answer.
    static func errorCode(_ response: TestResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    static func errorMessage(_ response: TestResponse) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["message"] as? String
    }
}

extension HTTPField.Name {
    static let twilioSignature = HTTPField.Name("X-Twilio-Signature")!
}
