package import Hummingbird
package import Logging
package import ServiceLifecycle
package import SwitchboardCore
import SwitchboardProviders

/// Everything the HTTP API is built from.
package struct ServerDependencies: Sendable {
    package var config: SwitchboardConfig
    package var messages: any MessageStore
    package var inbox: any InboxStore
    /// Long-lived resources to run alongside the server (the store, later the HTTP client), in dependency order.
    package var services: [any Service]
    /// Providers to deliver through instead of those built from the configuration (tests).
    package var providers: [any SMSProvider]?

    package init(
        config: SwitchboardConfig, messages: any MessageStore, inbox: any InboxStore, services: [any Service] = [],
        providers: [any SMSProvider]? = nil
    ) {
        self.config = config
        self.messages = messages
        self.inbox = inbox
        self.services = services
        self.providers = providers
    }
}

/// Builds the Switchboard HTTP application: the gateway, its providers and every route.
/// - Parameters:
///   - dependencies: The configuration and stores.
///   - logger: The application logger.
package func buildApplication(_ dependencies: ServerDependencies, logger: Logger) -> some ApplicationProtocol {
    let config = dependencies.config
    let providers = dependencies.providers ?? ProviderFactory.makeProviders(config.providers, inbox: dependencies.inbox)
    // One breaker registry for the daemon: every send sees (and feeds) the same provider health.
    let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker)
    let dispatcher = FailoverDispatcher(providers: providers, attemptTimeout: config.delivery.attemptTimeout, breakers: breakers)
    let gateway = Gateway(config: config, dispatcher: dispatcher, store: dependencies.messages)
    let router = buildRouter(gateway: gateway, messages: dependencies.messages, inbox: dependencies.inbox, apiKeys: config.server.apiKeys)
    let usesDefaultProvider = providers.contains { $0 is DefaultProvider }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(config.server.host, port: config.server.port), serverName: "switchboard"),
        services: dependencies.services,
        onServerRunning: { channel in
            logger.info("switchboard is listening", metadata: ["sb.address": "\(channel.localAddress?.description ?? "?")"])
            if usesDefaultProvider {
                logger.notice("\(DefaultProvider.evaluationNotice)")
            }
        },
        logger: logger
    )
}

/// The routes of the API.
package func buildRouter(gateway: Gateway, messages: any MessageStore, inbox: any InboxStore, apiKeys: [APIKey]) -> Hummingbird.Router<BasicRequestContext> {
    let router = Hummingbird.Router()
    router.addMiddleware {
        ErrorLoggingMiddleware()
    }
    router.get("/healthz") { _, _ in HealthController.Status(status: "ok") }
    let authenticated = router.group("/v1").add(middleware: APIKeyMiddleware(keys: apiKeys))
    MessagesController(gateway: gateway, messages: messages).addRoutes(to: authenticated.group("messages"))
    InboxController(inbox: inbox).addRoutes(to: authenticated.group("inbox"))
    return router
}
