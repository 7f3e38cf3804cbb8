package import Hummingbird
import HummingbirdCore
package import Logging
package import ServiceLifecycle
import Foundation
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
    /// The files the configuration came from, with its hash; `nil` when it was given in memory.
    package var loaded: LoadedConfiguration?
    /// Where reloads read from; `nil` refuses reloads (a configuration given in memory).
    package var configurationFiles: ConfigurationFiles?
    /// The webhook outbox; `nil` keeps it in memory (lost at exit), for tests of other parts.
    package var webhooks: (any WebhookStore)?
    /// How the webhook outbox is delivered (tests shorten the poll and fix the jitter).
    package var webhookDelivery = WebhookDeliveryService.Settings()
    /// The jitter of webhook retries, a fraction in `0..<1`; tests fix it.
    package var webhookJitter: @Sendable () -> Double = { Double.random(in: 0..<1) }

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
    let processStart = clock.date
    // The one HTTP client; its service comes after the store's, so it shuts down first (and the
    // background work, which uses both, before it).
    // Provider instances may share a host, so the pool allows them all their slots at once.
    let http = HTTPClientService.makeShared(clock: clock, connectionsPerHost: config.providers.reduce(0) { $0 + $1.limits.maxInFlight })
    let background = BackgroundWork()
    let alarms = Alarms(clock: clock)
    let webhooks = WebhookPublisher(
        store: dependencies.webhooks ?? MemoryWebhookStore(), background: background, clock: clock, metrics: dependencies.metrics.webhooks,
        logger: logger
    )
    let builder = ConfigurationBuilder(
        messages: dependencies.messages, inbox: dependencies.inbox, loginStore: dependencies.login ?? MemoryLoginStore(), transport: http.transport,
        background: background, alarms: alarms, clock: clock, loginClock: dependencies.loginClock,
        throttle: CredentialThrottle(limits: config.server.credentialFailures, clock: clock), fixedProviders: dependencies.providers,
        metrics: dependencies.metrics, queue: AsyncQueue(maxQueued: config.delivery.asynchronous.maxQueued), webhooks: webhooks
    )
    let reloader = ConfigurationReloader(
        builder: builder, initial: dependencies.loaded ?? LoadedConfiguration(config: config, catalog: dependencies.providerTypes),
        files: dependencies.configurationFiles, logger: logger
    )
    // The sweep reads the clock that stamps messages (the gateway's, not the OTP flow's), and the
    // deadline in force.
    let sweep = InterruptedMessagesSweep(
        messages: dependencies.messages, processStart: processStart, deadline: { reloader.current.config.delivery.deadline }, clock: clock,
        logger: logger
    )
    let purge = RetentionPurge(
        stores: RetentionPurge.stores(messages: dependencies.messages, inbox: dependencies.inbox, login: builder.loginStore),
        settings: { reloader.current.config.retention }, clock: clock, logger: logger,
        abuse: builder.loginStore as? any AbuseCounterRetention, apps: { reloader.current.config.apps }
    )
    let adminResponder = buildAdminRouter(
        configuration: reloader, messages: dependencies.messages as? any MessageSearch,
        lockouts: builder.loginStore as? any LoginStore & LockoutRelease, loginClock: dependencies.loginClock, purge: purge,
        store: dependencies.messages, inbox: dependencies.inbox, webhooks: AdminWebhooksController(store: webhooks.store, configuration: reloader, clock: clock)
    ).buildResponder()
    // Queued messages go out through the configuration in force when each is claimed.
    let worker = AsyncDeliveryWorker(
        gateway: { reloader.current.assembled.gateway }, messages: dependencies.messages, queue: builder.queue,
        settings: config.delivery.asynchronous, clock: clock, logger: logger
    )
    // Webhook events go out through the secrets and URLs in force at each try.
    let webhookDelivery = WebhookDeliveryService(
        publisher: webhooks, configuration: { reloader.current.config }, transport: http.transport, settings: dependencies.webhookDelivery,
        clock: clock, random: dependencies.webhookJitter, logger: logger
    )
    // The worker of queued messages and the webhook delivery stop claiming and finish their work
    // before the background work, the client and the store stop; the timer of every send's
    // cut-offs stops after all of them.
    var services = dependencies.services + [alarms, http.service, background, worker, webhookDelivery, sweep, purge]
    if let listen = config.admin.listen {
        services.append(
            Application(
                responder: adminResponder,
                configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "switchboard-admin"),
                onServerRunning: { channel in
                    logger.info("switchboard admin API is listening", metadata: ["sb.address": "\(channel.localAddress?.description ?? "?")"])
                },
                logger: logger
            )
        )
    }
    if let files = dependencies.configurationFiles {
        services.append(ReloadSignalService(configuration: reloader))
        if config.server.watchConfig {
            services.append(ConfigWatchService(files: files, clock: clock) { _ = await reloader.reload(trigger: "file change") })
        }
    }
    let usesDefaultProvider = reloader.current.assembled.providers.contains { $0 is DefaultProvider }
    let limits = config.server.connections
    var app = Application(
        responder: ReloadingResponder(configuration: reloader, admin: config.admin.listen == nil ? adminResponder : nil),
        server: .switchboard(limits: limits),
        configuration: ApplicationConfiguration(
            address: .hostname(config.server.host, port: config.server.port), serverName: "switchboard", backlog: limits.listenBacklog,
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)
        ),
        // The background work (pending-record saves, conceal-mode deliveries) drains before the
        // client and the store stop; a delivery's own save, submitted while it drains, runs inline.
        services: services,
        onServerRunning: { channel in
            logger.info("switchboard is listening", metadata: ["sb.address": "\(channel.localAddress?.description ?? "?")"])
            if usesDefaultProvider {
                logger.notice("\(DefaultProvider.evaluationNotice)")
            }
        },
        logger: logger
    )
    // The code-hashing and token-signing keys are created on first start, before serving.
    app.beforeServerStarts { try await reloader.current.login.prepare() }
    return app
}

/// The admin API's routes: the same for every configuration, each request checked against the
/// admin tokens in force; with them `GET /metrics` and the console page (`GET /console`).
/// - Parameters:
///   - messages: The message log, when its store can search it (`GET /admin/messages`).
///   - lockouts: The login store, when it can end lockouts (`/admin/apps/{app}/lockouts/{phone}`); it
///     also lists and clears blocked number prefixes (`/admin/blocked-prefixes`) and conversion
///     slowdowns (`/admin/slowdowns`).
///   - loginClock: The clock of the OTP flow.
///   - purge: The retention purge (`POST /admin/purge`).
///   - store: The message log, for one message and its attempts (`GET /admin/messages/{id}`).
///   - inbox: What the default provider kept (`GET /admin/inbox`).
///   - webhooks: The webhook outbox's events (`/admin/webhook-events`).
func buildAdminRouter(
    configuration: ConfigurationReloader, messages: (any MessageSearch)?, lockouts: (any LoginStore & LockoutRelease)?,
    loginClock: any SwitchboardClock, purge: RetentionPurge? = nil, store: any MessageStore, inbox: any InboxStore,
    webhooks: AdminWebhooksController<SwitchboardRequestContext>? = nil
) -> Hummingbird.Router<SwitchboardRequestContext> {
    let router = Hummingbird.Router(context: SwitchboardRequestContext.self)
    router.add(middleware: RequestEnvelopeMiddleware())
    let admin = router.group("/admin").add(middleware: AdminTokenAuthentication(configuration: configuration))
    AdminController(configuration: configuration).addRoutes(to: admin)
    if let messages {
        AdminMessagesController(messages: messages).addRoutes(to: admin)
    }
    if let lockouts {
        AdminLockoutsController(configuration: configuration, store: lockouts, clock: loginClock).addRoutes(to: admin)
        AdminBlockedPrefixesController(store: lockouts, clock: loginClock).addRoutes(to: admin)
        AdminSlowdownsController(configuration: configuration, store: lockouts, clock: loginClock).addRoutes(to: admin)
    }
    if let purge {
        AdminRetentionController(purge: purge).addRoutes(to: admin)
    }
    // What the console shows: a message's attempts, the inbox and a route's explanation.
    AdminMessageController(messages: store).addRoutes(to: admin)
    InboxController(inbox: inbox).addRoutes(to: admin.group("inbox"))
    AdminRouteController(configuration: configuration).addRoutes(to: admin)
    webhooks?.addRoutes(to: admin)
    // Metrics tell traffic by app, country and provider: operators only.
    router.group("/metrics").add(middleware: AdminTokenAuthentication(configuration: configuration)).get { request, context in
        try await configuration.current.metrics.scrape(request, context: context)
    }
    ConsoleController.addRoutes(to: router)
    return router
}

/// The routes of the API.
package func buildRouter(
    gateway: Gateway, messages: any MessageStore, inbox: any InboxStore, apiKeys: [APIKey], login: LoginService? = nil,
    breakers: CircuitBreakerRegistry? = nil, throttle: CredentialThrottle, queue: AsyncQueue? = nil,
    metrics: MetricsController<SwitchboardRequestContext>? = nil, webhookReplays: WebhookReplayGuard = WebhookReplayGuard(),
    clock: any SwitchboardClock = SystemClock(), webhooks: WebhookEvents? = nil, catalog: ProviderCatalog = ProviderCatalog()
) -> Hummingbird.Router<SwitchboardRequestContext> {
    let router = Hummingbird.Router(context: SwitchboardRequestContext.self)
    router.add(middleware: RequestEnvelopeMiddleware(metrics: metrics?.metrics.http))
    router.get("/healthz") { _, _ in HealthController.Status(status: "ok") }
    router.get("/readyz") { request, context in try HealthController.readiness(of: messages, request: request, context: context) }
    OpenAPIController.addRoutes(to: router)
    let keys = APIKeys(apiKeys, throttle: throttle)
    let authenticated = router.group("/v1").add(middleware: APIKeyMiddleware(keys: keys))
    MessagesController(gateway: gateway, messages: messages, breakers: breakers, queue: queue).addRoutes(to: authenticated.group("messages"))
    InboxController(inbox: inbox).addRoutes(to: authenticated.group("inbox"))
    if let login {
        MosaicController(login: login, throttle: throttle).addRoutes(to: router)
        SupabaseHookController(login: login, apps: gateway.config.apps, clock: clock, replays: webhookReplays).addRoutes(to: router)
    }
    MosaicGatewayController(gateway: gateway, apiKeys: keys).addRoutes(to: router, atPath: "/mosaic/sms")
    TwilioMessagesController(gateway: gateway, messages: messages, throttle: throttle, webhooks: webhooks).addRoutes(to: router)
    if let receipts = messages as? any ReceiptStore {
        ReceiptsController(
            providers: gateway.config.providers, catalog: catalog, recorder: ReceiptRecorder(store: receipts), metrics: metrics?.metrics.receipts,
            clock: clock, webhooks: webhooks, messages: messages
        ).addRoutes(to: router)
    }
    return router
}
