package import SwitchboardCore

extension AssembledGateway {
    /// The gateway of a reloaded configuration. Providers in `unchanged` keep their instance (and
    /// with it their cached OAuth2 token), their limiter and their breaker; the others are built
    /// anew. This gateway is left as it is, so sends that started on it finish on it; its provider
    /// instances hold no client of their own (the one HTTP client outlives reloads), so a dropped
    /// instance is released once the last send holding it ends.
    /// - Parameters:
    ///   - config: The new, validated configuration.
    ///   - unchanged: The providers whose settings and type definition did not change.
    ///   - store: Where every message is recorded.
    ///   - inbox: Where the default provider keeps messages.
    ///   - catalog: The new provider types.
    ///   - transport: The one HTTP transport.
    ///   - background: Where a send saves its pending record.
    ///   - clock: The time source of the gateway, its providers and breakers.
    ///   - fixedProviders: Providers to deliver through instead of those the configuration names (tests).
    package func reassembled(
        config: SwitchboardConfig, unchanged: Set<String>, store: any MessageStore, inbox: any InboxStore, catalog: ProviderCatalog,
        transport: HTTPTransport, background: BackgroundWork?, clock: any SwitchboardClock, fixedProviders: [any SMSProvider]? = nil,
        observer: (any SendObserver)? = nil
    ) -> AssembledGateway {
        let providers: [any SMSProvider]
        if let fixedProviders {
            providers = fixedProviders
        } else {
            let kept = Dictionary(self.providers.filter { unchanged.contains($0.name) }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let built = ProviderFactory.makeProviders(
                config.providers.filter { kept[$0.name] == nil }, inbox: inbox, catalog: catalog, transport: transport, clock: clock,
                observer: observer
            )
            let byName = kept.merging(built.map { ($0.name, $0) }, uniquingKeysWith: { keep, _ in keep })
            providers = config.providers.compactMap { byName[$0.name] }
        }
        let breakers = self.breakers.carriedOver(to: config.delivery.breaker, kept: unchanged)
        let dispatcher = FailoverDispatcher(
            providers: providers, attemptTimeout: config.delivery.attemptTimeout, breakers: breakers,
            limits: Dictionary(config.providers.map { ($0.name, $0.limits) }, uniquingKeysWith: { first, _ in first }), clock: clock,
            alarms: alarms, reusing: limiters.filter { unchanged.contains($0.key) }
        )
        let gateway = Gateway(config: config, dispatcher: dispatcher, store: store, background: background, clock: clock, observer: observer)
        return AssembledGateway(gateway: gateway, breakers: breakers, providers: providers, limiters: dispatcher.limiters, alarms: alarms)
    }
}
