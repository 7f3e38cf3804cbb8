import Foundation
import Hummingbird
package import SwitchboardCore
package import SwitchboardOTP
package import SwitchboardProviders

/// One configuration and everything built from it: the gateway and its providers, the login
/// flow, the API keys and the routes. Immutable: a request takes the current one once, at its
/// start, and uses it to its end; a reload builds a new one and swaps the reference.
package final class RunningConfiguration: Sendable {
    package let loaded: LoadedConfiguration
    package let assembled: AssembledGateway
    package let login: LoginService
    /// Where this configuration's webhook events go (message status changes, code checks, Twilio status callbacks).
    package let webhooks: WebhookEvents
    /// The admin tokens, ready to check; `nil` when `admin.tokens` is empty (the admin API is off).
    let adminTokens: APIKeys?
    /// Every route but the admin API's, built for this configuration.
    let responder: RouterResponder<SwitchboardRequestContext>
    /// `GET /metrics` (an admin route): the metrics with this configuration's providers' health.
    let metrics: MetricsController<SwitchboardRequestContext>
    /// Settings changed since start-up that wait for a restart (listen address, storage, ...).
    package let pendingRestart: [String]

    package var config: SwitchboardConfig { loaded.config }

    init(
        loaded: LoadedConfiguration, assembled: AssembledGateway, login: LoginService, webhooks: WebhookEvents, adminTokens: APIKeys?,
        responder: RouterResponder<SwitchboardRequestContext>, metrics: MetricsController<SwitchboardRequestContext>, pendingRestart: [String]
    ) {
        self.loaded = loaded
        self.assembled = assembled
        self.login = login
        self.webhooks = webhooks
        self.adminTokens = adminTokens
        self.responder = responder
        self.metrics = metrics
        self.pendingRestart = pendingRestart
    }
}

/// What every configuration is built with and what outlives reloads: the stores, the one HTTP
/// transport, the background work, the clocks and the credential throttle.
struct ConfigurationBuilder: Sendable {
    let messages: any MessageStore
    let inbox: any InboxStore
    let loginStore: any LoginStore
    let transport: HTTPTransport
    let background: BackgroundWork
    /// The timer of attempt cut-offs and limiter wake-ups, run as a service; every configuration's gateway uses it.
    let alarms: Alarms
    let clock: any SwitchboardClock
    let loginClock: any SwitchboardClock
    let throttle: CredentialThrottle
    /// Providers to deliver through instead of those the configuration names (tests).
    let fixedProviders: [any SMSProvider]?
    /// Where the metrics go: one registry for every configuration, so counters run on across reloads.
    let metrics: ServerMetrics
    /// The daemon's count of queued messages, shared by the HTTP API of every configuration.
    let queue: AsyncQueue
    /// The hook calls seen lately: a reload must not let a replayed call through.
    let webhookReplays = WebhookReplayGuard()
    /// The scopes the conversion rule slows, as this daemon last read them: a reload keeps them.
    let conversion = ConversionMonitor()
    /// The webhook outbox and what stores into it, shared by every configuration.
    let webhooks: WebhookPublisher

    /// The first configuration, at start-up.
    func build(_ loaded: LoadedConfiguration) -> RunningConfiguration {
        let assembled = makeGateway(
            config: loaded.config, store: messages, inbox: inbox, catalog: loaded.catalog, transport: transport, background: background,
            clock: clock, alarms: alarms, providers: fixedProviders,
            observer: webhooks.sendObserver(for: loaded.config, beside: metrics.sends)
        )
        return finish(loaded, assembled: assembled, pendingRestart: [])
    }

    /// The configuration that replaces `previous`.
    /// - Parameters:
    ///   - unchanged: The providers that keep their instance, breaker and limiter.
    ///   - pendingRestart: What differs from the start-up configuration and waits for a restart.
    func build(_ loaded: LoadedConfiguration, replacing previous: RunningConfiguration, unchanged: Set<String>, pendingRestart: [String]) -> RunningConfiguration {
        let assembled = previous.assembled.reassembled(
            config: loaded.config, unchanged: unchanged, store: messages, inbox: inbox, catalog: loaded.catalog,
            transport: transport, background: background, clock: clock, fixedProviders: fixedProviders,
            observer: webhooks.sendObserver(for: loaded.config, beside: metrics.sends)
        )
        return finish(loaded, assembled: assembled, pendingRestart: pendingRestart)
    }

    private func finish(_ loaded: LoadedConfiguration, assembled: AssembledGateway, pendingRestart: [String]) -> RunningConfiguration {
        let config = loaded.config
        let events = webhooks.events(for: config)
        let login = LoginService(
            config: config, store: loginStore, gateway: assembled.gateway, background: background, clock: loginClock,
            verifiers: ProviderFactory.verifiers(among: assembled.providers),
            observer: webhooks.loginObserver(for: config, beside: metrics.login), conversion: conversion
        )
        let scrape = MetricsController<SwitchboardRequestContext>(
            metrics: metrics, breakers: assembled.breakers, clock: clock, providers: assembled.providers.map(\.name)
        )
        let router = buildRouter(
            gateway: assembled.gateway, messages: messages, inbox: inbox, apiKeys: config.server.apiKeys, login: login,
            breakers: assembled.breakers, throttle: throttle, queue: queue, metrics: scrape,
            webhookReplays: webhookReplays, clock: loginClock, webhooks: events, catalog: loaded.catalog
        )
        let adminTokens = config.admin.isEnabled ? APIKeys(config.admin.tokens.map { APIKey(name: "admin", key: $0) }, throttle: throttle) : nil
        return RunningConfiguration(
            loaded: loaded, assembled: assembled, login: login, webhooks: events, adminTokens: adminTokens, responder: router.buildResponder(),
            metrics: scrape, pendingRestart: pendingRestart
        )
    }
}
