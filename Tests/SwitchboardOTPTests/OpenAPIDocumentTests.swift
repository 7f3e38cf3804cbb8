import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardOTP
import SwitchboardProviders
import Logging
@testable import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The OpenAPI document and the router describe the same API, and the daemon serves the document.
@Suite("OpenAPI document", .timeLimit(.minutes(3)))
struct OpenAPIDocumentTests {
    static let path = repositoryPath("Sources/SwitchboardServer/OpenAPI/openapi.json")
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `METHOD /path` of every operation the document describes.
    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, item) in paths {
            for method in item.keys where methods.contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// `METHOD /path` of every route the daemon's router has, with every optional part present.
    static func routedOperations() throws -> Set<String> {
        let config = try OTPTest.config()
        let store = MemoryStore()
        let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker)
        let gateway = Gateway(
            config: config,
            dispatcher: FailoverDispatcher(providers: [], attemptTimeout: .seconds(1), breakers: breakers, alarms: Alarms()),
            store: store
        )
        let router = buildRouter(
            gateway: gateway,
            messages: store,
            inbox: store,
            apiKeys: config.server.apiKeys,
            login: LoginService(config: config, store: MemoryLoginStore(), gateway: gateway),
            breakers: breakers,
            throttle: CredentialThrottle(limits: config.server.credentialFailures),
            metrics: MetricsController(metrics: ServerMetrics(), breakers: breakers, clock: SystemClock(), providers: [])
        )
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    /// `METHOD /path` of every route of the admin router (the admin API, `/metrics`, the console).
    static func adminOperations() async throws -> Set<String> {
        let config = try OTPTest.config()
        let store = MemoryStore()
        let http = HTTPClientService.makeShared()
        let builder = ConfigurationBuilder(
            messages: store, inbox: store, loginStore: MemoryLoginStore(), transport: http.transport, background: BackgroundWork(),
            alarms: Alarms(), clock: SystemClock(), loginClock: SystemClock(),
            throttle: CredentialThrottle(limits: config.server.credentialFailures), fixedProviders: nil, metrics: ServerMetrics(),
            queue: AsyncQueue(maxQueued: 1),
            webhooks: WebhookPublisher(store: MemoryWebhookStore(), background: nil, clock: SystemClock(), metrics: ServerMetrics().webhooks, logger: Logger(label: "test"))
        )
        let reloader = ConfigurationReloader(
            builder: builder, initial: LoadedConfiguration(config: config, catalog: ProviderCatalog()), files: nil, logger: Logger(label: "test")
        )
        let purge = RetentionPurge(stores: [.messages: store], settings: { config.retention }, clock: SystemClock(), logger: Logger(label: "test"))
        let router = buildAdminRouter(
            configuration: reloader, messages: store, lockouts: MemoryLoginStore(), loginClock: SystemClock(), purge: purge, store: store,
            inbox: store, webhooks: AdminWebhooksController(store: MemoryWebhookStore(), configuration: reloader, clock: SystemClock())
        )
        try await http.service.shutdown()
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    @Test("every route is documented, and every documented operation is routed")
    func documentAndRouterAgree() async throws {
        let documented = try Self.documentedOperations()
        let admin = try await Self.adminOperations()
        #expect(admin.isSuperset(of: ["GET /metrics", "GET /console", "GET /admin/route", "GET /admin/messages/{id}", "GET /admin/inbox", "GET /admin/webhook-events"]))
        let routed = try Self.routedOperations().union(admin)
        #expect(routed.count >= 30)
        #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
    }

    @Test("the document is OpenAPI 3.1; every operation has an id, a summary and at least one answer, and every $ref resolves")
    func documentIsWhole() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var ids: [String] = []
        for (path, item) in paths {
            for (method, value) in item where Self.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let id = operation["operationId"] as? String
                #expect(id != nil, "\(method) \(path) has no operationId")
                ids.append(id ?? "")
                #expect(operation["summary"] is String, "\(method) \(path) has no summary")
                #expect(!((operation["responses"] as? [String: Any]) ?? [:]).isEmpty, "\(method) \(path) has no responses")
            }
        }
        #expect(Set(ids).count == ids.count, "operation ids repeat")
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let components = try #require(document["components"] as? [String: [String: Any]])
        for match in text.matches(of: /"#\/components\/([a-zA-Z]+)\/([a-zA-Z]+)"/) {
            let (kind, name) = (String(match.output.1), String(match.output.2))
            #expect(components[kind]?[name] != nil, "\(kind)/\(name) is referred to but not defined")
        }
    }

    @Test("GET /openapi.json serves the document in the repository, byte for byte, with X-Request-ID")
    func servedDocument() async throws {
        let file = try Data(contentsOf: URL(fileURLWithPath: Self.path))
        try await OTPTest.withApp { client in
            let reply = try await client.get("/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/json")
            #expect(reply.headers[.init("X-Request-ID")!]?.isEmpty == false)
            #expect(Data(reply.text.utf8) == file)
        }
    }
}
