import Foundation
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardProviders

/// The admin API (`/admin/...`): reload, the effective configuration, providers' health, pausing
/// a provider. Behind `AdminTokenAuthentication`; its routes do not change with the configuration,
/// and each request reads the configuration in force once.
struct AdminController<Context: RequestContext> {
    let configuration: ConfigurationReloader

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("reload", use: reload)
        group.get("config", use: showConfig)
        group.get("providers", use: providers)
        group.post("providers/{name}/pause", use: pause)
        group.post("providers/{name}/resume", use: resume)
    }

    struct ReloadAnswer: ResponseEncodable {
        var status: String
        /// The one-line change summary, as logged.
        var summary: String
        var hash: String
        var routes: Names
        var providers: Names
        var apps: Names
        var templates: Names
        var api_keys: Names
        var admin_tokens_changed: Bool
        var needs_restart: [String]
    }

    /// Names added, removed and changed in one section.
    struct Names: Encodable {
        var added: [String]
        var removed: [String]
        var changed: [String]

        init(_ names: ConfigurationChange.Names) {
            added = names.added
            removed = names.removed
            changed = names.changed
        }
    }

    /// `POST /admin/reload`: 200 with what changed, or 422 with every problem (the running configuration stays).
    func reload(_ request: Request, context: Context) async throws -> ReloadAnswer {
        switch await configuration.reload(trigger: "admin API") {
        case .applied(let change, let hash):
            return ReloadAnswer(
                status: "applied", summary: change.summary, hash: hash, routes: Names(change.routes), providers: Names(change.providers),
                apps: Names(change.apps), templates: Names(change.templates), api_keys: Names(change.apiKeys),
                admin_tokens_changed: change.adminTokensChanged,
                needs_restart: change.needsRestart
            )
        case .rejected(let problems):
            throw APIError(
                status: .unprocessableContent, code: "invalid_configuration",
                message: "the configuration was not reloaded; the running one stays. Fix these and reload again",
                details: ["problems": problems]
            )
        }
    }

    /// `GET /admin/config`: the effective configuration, every secret redacted.
    func showConfig(_ request: Request, context: Context) async throws -> AdminConfigAnswer {
        AdminConfigAnswer(configuration.current)
    }

    struct ProviderAnswer: Encodable {
        var name: String
        var type: String
        var paused: Bool
        var breaker: CircuitBreaker.State
        var since: Date?
        var consecutive_failures: Int
        var window_requests: Int
        var window_failures: Int
        var retry_after_until: Date?
        /// When the cached OAuth2 token is refreshed; absent without OAuth2 or before the first token.
        var token_refresh_at: Date?
    }

    struct ProvidersAnswer: ResponseEncodable {
        var providers: [ProviderAnswer]
    }

    /// `GET /admin/providers`: each provider's breaker, recent outcomes, Retry-After and token.
    func providers(_ request: Request, context: Context) async throws -> ProvidersAnswer {
        let running = configuration.current
        let breakers = running.assembled.breakers
        let states = breakers.states()
        let paused = breakers.pausedProviders
        let instances = Dictionary(running.assembled.providers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var answers: [ProviderAnswer] = []
        for provider in running.config.providers {
            let health = states[provider.name]
            var refreshAt: Date?
            if let defined = instances[provider.name] as? DefinedProvider, let tokens = defined.tokens {
                refreshAt = await tokens.refreshDate()
            }
            answers.append(
                ProviderAnswer(
                    name: provider.name, type: provider.type, paused: paused.contains(provider.name), breaker: health?.state ?? .closed,
                    since: health?.since, consecutive_failures: health?.consecutiveFailures ?? 0, window_requests: health?.windowRequests ?? 0,
                    window_failures: health?.windowFailures ?? 0, retry_after_until: health?.retryAfterUntil, token_refresh_at: refreshAt
                )
            )
        }
        return ProvidersAnswer(providers: answers)
    }

    struct PauseAnswer: ResponseEncodable {
        var name: String
        var paused: Bool
        /// Whether this request changed anything (pausing a paused provider does not).
        var changed: Bool
    }

    /// `POST /admin/providers/{name}/pause`: sends skip the provider, recorded as `paused`, until resumed.
    func pause(_ request: Request, context: Context) async throws -> PauseAnswer {
        let (name, breakers) = try provider(context)
        let changed = breakers.pause(name)
        context.logger.notice("provider paused by an operator", metadata: ["sb.provider": "\(name)"])
        return PauseAnswer(name: name, paused: true, changed: changed)
    }

    /// `POST /admin/providers/{name}/resume`.
    func resume(_ request: Request, context: Context) async throws -> PauseAnswer {
        let (name, breakers) = try provider(context)
        let changed = breakers.resume(name)
        context.logger.notice("provider resumed by an operator", metadata: ["sb.provider": "\(name)"])
        return PauseAnswer(name: name, paused: false, changed: changed)
    }

    private func provider(_ context: Context) throws -> (String, CircuitBreakerRegistry) {
        let name = try context.parameters.require("name")
        let running = configuration.current
        guard running.config.providers.contains(where: { $0.name == name }) else {
            throw APIError.notFound("there is no provider named '\(name)'; configured: \(running.config.providers.map(\.name).joined(separator: ", "))")
        }
        return (name, running.assembled.breakers)
    }
}
