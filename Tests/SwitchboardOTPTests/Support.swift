import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import ServiceLifecycle
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// An inbox that refuses every message, so the default provider fails and delivery fails.
struct BrokenInbox: InboxStore {
    struct Broken: Error {}
    func deliver(_ message: InboxMessage) async throws -> InboxMessage { throw Broken() }
    func inbox(to: String?, after sequence: Int64?, limit: Int) async throws -> [InboxMessage] { [] }
    func latestInbox(to: String?, limit: Int) async throws -> [InboxMessage] { [] }
}

enum OTPTest {
    static let clientID = "demo-backend"
    static let clientSecret = "demo-secret-0123456789"
    static let phone = "+447700900123"

    static func yaml(
        demo: String = "", extraApps: String = "",
        otp: String = "{ code_length: 6, expires_in: 5m, max_failures: 3, lockout: 15m, resend_after: 30s, max_sends_per_hour: 5 }"
    ) -> String {
        """
        server:
          issuer: https://login.example.test
          api_keys: [{ name: test, key: test-api-key-1 }]
        apps:
          demo:
            name: Demo
            message: "{otp} is your {app} code."
            otp: \(otp)
            clients: [{ id: \(clientID), secret: \(clientSecret) }]
        \(demo)
          other:
            name: Other
            message: "{otp} is your {app} code."
            clients: [{ id: other-backend, secret: other-secret-0123456789 }]
        \(extraApps)
        providers:
          default: { type: default }
        routes:
          - { name: north-america, match: { countries: [US, CA, PR, VI, GU, AS, MP] }, sender: "+14155550100", providers: [default] }
          - { name: everyone-else, sender: Demo, providers: [default] }
        """
    }

    /// A second client of the demo app.
    static let siblingID = "demo-backend-2"
    static let siblingSecret = "demo-secret-2-0123456789"
    static let otherID = "other-backend"
    static let otherSecret = "other-secret-0123456789"

    /// ``yaml(demo:extraApps:otp:)`` with ``siblingID`` as a second client of the demo app.
    static func yamlWithSibling(demo: String = "") -> String {
        yaml(demo: demo).replacingOccurrences(
            of: "clients: [{ id: \(clientID), secret: \(clientSecret) }]",
            with: "clients: [{ id: \(clientID), secret: \(clientSecret) }, { id: \(siblingID), secret: \(siblingSecret) }]"
        )
    }

    static func config(_ yaml: String = OTPTest.yaml()) throws -> SwitchboardConfig {
        try ConfigParser.parse(yaml: yaml, file: "test.yaml", environment: [:])
    }

    /// What ``config(_:)`` finds wrong with `yaml`, each `FILE:LINE:COLUMN: message`; none when it parses.
    static func configProblems(_ yaml: String) -> [String] {
        do {
            _ = try config(yaml)
            return []
        } catch let error as ConfigError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    /// Builds the app on memory stores (or the given ones) and runs `body` against it.
    static func withApp(
        config: SwitchboardConfig? = nil, clock: ManualClock = ManualClock(), login: (any LoginStore)? = nil,
        inbox: (any InboxStore)? = nil, messages: (any MessageStore)? = nil, services: [any Service] = [],
        logger: Logger = Logger(label: "otp-test") { _ in SwiftLogNoOpLogHandler() }, testing: TestingSetup = .router,
        providerTypes: ProviderCatalog = ProviderCatalog(), _ body: @Sendable (Client) async throws -> Void
    ) async throws {
        let config = try config ?? Self.config()
        let memory = MemoryStore()
        let loginStore = login ?? MemoryLoginStore()
        let inboxStore = inbox ?? memory
        let dependencies = ServerDependencies(
            config: config, messages: messages ?? memory, inbox: inboxStore, services: services, login: loginStore, loginClock: clock,
            providerTypes: providerTypes
        )
        let app = buildApplication(dependencies, logger: logger)
        try await app.test(testing) { client in
            try await body(Client(http: client, inbox: inboxStore))
        }
    }

    /// A thin client speaking the Mosaic API as the sample app does.
    struct Client: Sendable {
        let http: any TestClientProtocol
        let inbox: any InboxStore

        func clientToken(id: String = OTPTest.clientID, secret: String = OTPTest.clientSecret) async throws -> String {
            let response = try await form("/oidc/token", "client_id=\(id)&client_secret=\(secret)&grant_type=client_credentials")
            #expect(response.status == .ok)
            return try #require(response.json["access_token"] as? String)
        }

        func form(_ path: String, _ body: String) async throws -> Reply {
            let response = try await http.execute(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
            )
            return Reply(response)
        }

        func post(_ path: String, token: String?, _ body: String) async throws -> Reply {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let token { headers[.authorization] = "Bearer \(token)" }
            return Reply(try await http.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)))
        }

        func get(_ path: String, token: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
            var headers = extra
            if let token { headers[.authorization] = "Bearer \(token)" }
            return Reply(try await http.execute(uri: path, method: .get, headers: headers))
        }

        func createUser(_ token: String, phone: String = OTPTest.phone) async throws -> String {
            let reply = try await post("/cis/v1/users", token: token, #"{"phone_number": "\#(phone)"}"#)
            #expect(reply.status == .created)
            return try #require((reply.json["result"] as? [String: Any])?["user_id"] as? String)
        }

        func send(_ token: String, phone: String = OTPTest.phone) async throws -> Reply {
            try await post("/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "\#(phone)", "identifier_type": "phone_number"}"#)
        }

        func authenticate(_ token: String, code: String, phone: String = OTPTest.phone) async throws -> Reply {
            try await post(
                "/cis/v1/auth/otp/authenticate", token: token,
                #"{"passcode": "\#(code)", "identifier": "\#(phone)", "identifier_type": "phone_number"}"#
            )
        }

        /// Exchanges `refreshToken` for new tokens, as `token`'s client.
        func refresh(_ token: String, _ refreshToken: String) async throws -> Reply {
            try await post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(refreshToken)"}"#)
        }

        /// A whole login for the default user: client token, user, code sent, code entered.
        /// - Returns: The client token and the authenticate answer's tokens.
        func logIn() async throws -> (token: String, tokens: [String: Any]) {
            let token = try await clientToken()
            _ = try await createUser(token)
            _ = try await send(token)
            let reply = try await authenticate(token, code: try await latestCode())
            #expect(reply.status == .ok)
            return (token, reply.json)
        }

        /// The code in the newest message the default provider kept for `phone`.
        func latestCode(to phone: String = OTPTest.phone) async throws -> String {
            let message = try #require(try await inbox.latestInbox(to: phone, limit: 1).first)
            let digits = message.text.split(whereSeparator: { !$0.isNumber }).first { $0.count == 6 }
            return String(try #require(digits))
        }

        func inboxCount(to phone: String = OTPTest.phone) async throws -> Int {
            try await inbox.latestInbox(to: phone, limit: 1000).count
        }

        /// How many messages reached `phone`, once `count` have, or once `limit` has passed: in
        /// conceal mode delivery runs after the answer, with no signal of its own to wait for.
        func inboxCount(reaching count: Int, to phone: String = OTPTest.phone, within limit: Duration = .seconds(30)) async throws -> Int {
            let end = ContinuousClock.now + limit
            var seen = try await inboxCount(to: phone)
            while seen < count, ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(5))
                seen = try await inboxCount(to: phone)
            }
            return seen
        }
    }

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String

        init(_ response: TestResponse) {
            status = response.status
            headers = response.headers
            text = String(buffer: response.body)
        }

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            jsonObject(text.utf8) ?? [:]
        }
    }
}

/// The id_token claims a relying party reads; decoded independently of the server's own types.
struct RelyingPartyIDToken: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var exp: Int
    var iat: Int
    var auth_time: Int
    var amr: [String]
    var phone_number: String?
    var phone_number_verified: Bool

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

struct RelyingPartyAccessToken: JWTPayload {
    var sub: String
    var client_id: String
    var aud: String
    var jti: String
    var iss: String

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
