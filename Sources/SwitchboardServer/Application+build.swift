package import Hummingbird
import HummingbirdCore
package import Logging
package import ServiceLifecycle
package import Foundation
package import SwitchboardCore
package import SwitchboardOTP
import SwitchboardProviders
import SwitchboardStore

/// Everything the HTTP API is built from.
package struct ServerDependencies: Sendable {
    package var config: SwitchboardConfig
    package var messages: any MessageStore
    package var inbox: any InboxStore
    /// Long-lived resources to run alongside the server (the store), in dependency order.
    package var services: [any Service]
    /// The OTP login state; `nil` keeps it in memory (lost at exit), for tests of other parts.
    package var login: (any LoginStore)?
    /// The clock of the gateway, its providers and breakers, the credential throttle and the sweep.
    package var clock: any SwitchboardClock
    /// The clock of the OTP flow (codes, lockouts, limits, tokens): tests move it apart from
    /// `clock`, so minutes of login time pass without touching delivery deadlines.
    package var loginClock: any SwitchboardClock
    /// Providers to deliver through instead of those built from the configuration (tests).
    package var providers: [any SMSProvider]?
    /// Provider types defined in `providers/`.
    package var providerTypes: ProviderCatalog
    /// Where the metrics go and `GET /metrics` reads them; each app its own unless given.
    package var metrics: ServerMetrics

    package init(
        config: SwitchboardConfig, messages: any MessageStore, inbox: any InboxStore, services: [any Service] = [],
        login: (any LoginStore)? = nil, clock: any SwitchboardClock = SystemClock(),
        loginClock: any SwitchboardClock = SystemClock(),
        providers: [any SMSProvider]? = nil, providerTypes: ProviderCatalog = ProviderCatalog(), metrics: ServerMetrics = ServerMetrics()
    ) {
        self.config = config
        self.messages = messages
        self.inbox = inbox
        self.services = services
        self.login = login
        self.clock = clock
        self.loginClock = loginClock
        self.providers = providers
        self.providerTypes = providerTypes
        self.metrics = metrics
    }
}

/// Builds the Switchboard HTTP application: the gateway, its providers and every route.
/// - Parameters:
///   - dependencies: The configuration and stores.
///   - logger: The application logger.
package func buildApplication(_ dependencies: ServerDependencies, logger: Logger) -> some ApplicationProtocol {
    let config = dependencies.config
    let clock = dependencies.clock
    // The sweep reads the clock that stamps messages: the gateway's, not the OTP flow's.
    let sweep = InterruptedMessagesSweep(
        messages: dependencies.messages, processStart: clock.date, deadline: config.delivery.deadline, clock: clock, logger: logger
    )
    // The one HTTP client; its service comes after the store's, so it shuts down first (and the
    // background work, which uses both, before it).
    // Provider instances may share a host, so the pool allows them all their slots at once.
    let http = HTTPClientService.makeShared(clock: clock, connectionsPerHost: config.providers.reduce(0) { $0 + $1.limits.maxInFlight })
    let background = BackgroundWork()
    let assembled = makeGateway(
        config: config, store: dependencies.messages, inbox: dependencies.inbox, catalog: dependencies.providerTypes, transport: http.transport,
        background: background, clock: clock, providers: dependencies.providers, observer: dependencies.metrics.sends
    )
    let gateway = assembled.gateway
    let login = LoginService(
        config: config, store: dependencies.login ?? MemoryLoginStore(), gateway: gateway, background: background, clock: dependencies.loginClock,
        verifiers: ProviderFactory.verifiers(among: assembled.providers), observer: dependencies.metrics.login
    )
    let queue = AsyncQueue(maxQueued: config.delivery.asynchronous.maxQueued)
    let worker = AsyncDeliveryWorker(
        gateway: gateway, messages: dependencies.messages, queue: queue, settings: config.delivery.asynchronous, clock: clock, logger: logger
    )
    let router = buildRouter(
        gateway: gateway, messages: dependencies.messages, inbox: dependencies.inbox, apiKeys: config.server.apiKeys, login: login,
        breakers: assembled.breakers, throttle: CredentialThrottle(limits: config.server.credentialFailures, clock: clock), queue: queue,
        metrics: MetricsController(
            metrics: dependencies.metrics, breakers: assembled.breakers, clock: clock, providers: assembled.providers.map(\.name)
        )
    )
    let usesDefaultProvider = assembled.providers.contains { $0 is DefaultProvider }
    let limits = config.server.connections
    var app = Application(
        router: router,
        server: .switchboard(limits: limits),
        configuration: ApplicationConfiguration(
            address: .hostname(config.server.host, port: config.server.port), serverName: "switchboard",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)
        ),
        // The background work (pending-record saves, conceal-mode deliveries) drains before the
        // client and the store stop; a delivery's own save, submitted while it drains, runs inline.
        // The worker of queued messages stops claiming and finishes its sends before those too.
        services: dependencies.services + [http.service, background, worker, sweep],
        onServerRunning: { channel in
            logger.info("switchboard is listening", metadata: ["sb.address": "\(channel.localAddress?.description ?? "?")"])
            if usesDefaultProvider {
                logger.notice("\(DefaultProvider.evaluationNotice)")
            }
        },
        logger: logger
    )
    // The code-hashing and token-signing keys are created on first start, before serving.
    app.beforeServerStarts { try await login.prepare() }
    return app
}

/// The routes of the API.
package func buildRouter(
    gateway: Gateway, messages: any MessageStore, inbox: any InboxStore, apiKeys: [APIKey], login: LoginService? = nil,
    breakers: CircuitBreakerRegistry? = nil, throttle: CredentialThrottle, queue: AsyncQueue? = nil,
    metrics: MetricsController<SwitchboardRequestContext>? = nil
) -> Hummingbird.Router<SwitchboardRequestContext> {
    let router = Hummingbird.Router(context: SwitchboardRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    if let metrics { router.add(middleware: HTTPMetricsMiddleware(metrics: metrics.metrics.http)) }
    router.addMiddleware {
        ErrorLoggingMiddleware()
        TransferEncodingMiddleware()
    }
    router.get("/healthz") { _, _ in HealthController.Status(status: "ok") }
    OpenAPIController.addRoutes(to: router)
    let keys = APIKeys(apiKeys, throttle: throttle)
    let authenticated = router.group("/v1").add(middleware: APIKeyMiddleware(keys: keys))
    MessagesController(gateway: gateway, messages: messages, breakers: breakers, queue: queue).addRoutes(to: authenticated.group("messages"))
    InboxController(inbox: inbox).addRoutes(to: authenticated.group("inbox"))
    if let login {
        MosaicController(login: login, throttle: throttle).addRoutes(to: router)
    }
    MosaicGatewayController(gateway: gateway, apiKeys: keys).addRoutes(to: router, atPath: "/mosaic/sms")
    // Behind the gateway's API keys until the admin listener takes it.
    metrics?.addRoutes(to: router.group().add(middleware: APIKeyMiddleware(keys: keys)))
    return router
}
