package import SwitchboardCore

/// The gateway as the daemon and `switchboard send` run it, with the parts the server also reads.
package struct AssembledGateway: Sendable {
    package let gateway: Gateway
    /// The one breaker registry: every send sees (and feeds) the same provider health.
    package let breakers: CircuitBreakerRegistry
    /// The provider instances the gateway delivers through.
    package let providers: [any SMSProvider]
    /// Each provider's slots and queue (`providers.NAME.max_in_flight`, `queue`, `rate`), by name.
    package let limiters: [String: ProviderLimiter]
    /// The daemon's one timer, which its owner runs (`Alarms.runUntilFinished()`); a reload keeps it.
    package let alarms: Alarms
}

/// Wires the gateway from a configuration: its providers, the breakers, the failover dispatcher.
/// - Parameters:
///   - config: The validated configuration.
///   - store: Where every message is recorded.
///   - inbox: Where the default provider keeps messages.
///   - catalog: The provider types defined in `providers/`.
///   - transport: The one HTTP transport.
///   - background: Where a send saves its pending record (see ``Gateway/init(config:dispatcher:store:background:clock:observer:)``).
///   - clock: The time source of the gateway, its providers and breakers.
///   - alarms: The timer of attempt cut-offs and limiter wake-ups, running on `clock`; the caller runs it.
///   - providers: Providers to deliver through instead of those the configuration names (tests).
///   - observer: Hears of every send that reached the providers, and of OAuth2 token requests (metrics).
package func makeGateway(
    config: SwitchboardConfig,
    store: any MessageStore,
    inbox: any InboxStore,
    catalog: ProviderCatalog,
    transport: HTTPTransport,
    background: BackgroundWork?,
    clock: any SwitchboardClock = SystemClock(),
    alarms: Alarms,
    providers: [any SMSProvider]? = nil,
    observer: (any SendObserver)? = nil
) -> AssembledGateway {
    let providers =
        providers ?? ProviderFactory.makeProviders(config.providers, inbox: inbox, catalog: catalog, transport: transport, clock: clock, observer: observer)
    let breakers = CircuitBreakerRegistry(settings: config.delivery.breaker, clock: clock)
    let dispatcher = FailoverDispatcher(
        providers: providers, attemptTimeout: config.delivery.attemptTimeout, breakers: breakers,
        limits: Dictionary(config.providers.map { ($0.name, $0.limits) }, uniquingKeysWith: { first, _ in first }), clock: clock,
        alarms: alarms
    )
    let gateway = Gateway(config: config, dispatcher: dispatcher, store: store, background: background, clock: clock, observer: observer)
    return AssembledGateway(gateway: gateway, breakers: breakers, providers: providers, limiters: dispatcher.limiters, alarms: alarms)
}
