/// The whole configuration of a Switchboard daemon, read from `config.yaml` and validated.
package struct SwitchboardConfig: Sendable {
    package var server: ServerSettings
    package var storage: StorageSettings
    package var messages: MessageSettings
    package var delivery: DeliverySettings
    /// Apps by id, in file order.
    package var apps: [AppSettings]
    /// Provider instances by name, in file order.
    package var providers: [ProviderSettings]
    /// Named templates that routes refer to.
    package var templates: [String: MessageTemplate]
    /// Routing rules in order: the first match wins.
    package var routes: [RouteRule]
    /// `admin:` — the admin API's tokens and address.
    package var admin = AdminSettings()
    /// `retention:` — how long messages, the inbox, sessions and challenges are kept.
    package var retention = RetentionSettings()

    package func app(_ id: String) -> AppSettings? {
        apps.first { $0.id == id }
    }

    /// The app that OIDC client `clientID` belongs to, and the client.
    package func client(_ clientID: String) -> (app: AppSettings, client: OAuthClient)? {
        for app in apps {
            if let client = app.clients.first(where: { $0.id == clientID }) { return (app, client) }
        }
        return nil
    }
}

/// `server:` — where the HTTP API listens and who may call the gateway API.
package struct ServerSettings: Sendable {
    package var host: String
    package var port: Int
    /// Keys accepted by the gateway API (`Authorization: Bearer KEY` or `X-API-Key: KEY`).
    package var apiKeys: [APIKey]
    /// `server.issuer` — the `iss` of every token; defaults to `http://HOST:PORT`.
    package var issuer: String = ""
    /// `server.timeouts` and `server.max_connections`.
    package var connections = ConnectionLimits()
    /// `server.credential_failures`.
    package var credentialFailures = CredentialFailureLimits()
    /// `server.log_format`.
    package var logFormat = LogFormat.text
    /// `server.watch_config`: reload when `config.yaml` or a file of the providers folder changes.
    package var watchConfig = false
    /// `server.threads`: the event loops that serve connections and run every task; `nil` is one
    /// per core, with Swift's own pool running the tasks beside them.
    package var threads: Int?
}

/// One named key for the gateway API.
package struct APIKey: Sendable {
    package var name: String
    package var key: String

    package init(name: String, key: String) {
        self.name = name
        self.key = key
    }
}

/// `storage:` — where state lives.
package enum StorageSettings: Sendable, Equatable {
    /// An SQLite database file (the embedded default).
    case sqlite(SQLiteSettings)
    /// A PostgreSQL database that several daemons may share.
    case postgres(PostgresSettings)
}

/// `messages:` — limits on what is sent.
package struct MessageSettings: Sendable {
    /// Messages that would take more segments than this are refused.
    package var maxSegments: Int
}

/// `delivery:` — time limits for handing a message to providers.
package struct DeliverySettings: Sendable, Equatable {
    /// The whole send, every attempt included, must finish within this.
    package var deadline: Duration
    /// One attempt with one provider may take at most this (and never more than what is left of the deadline).
    package var attemptTimeout: Duration
    /// `delivery.breaker`: when a provider's circuit breaker opens and for how long.
    package var breaker = BreakerSettings()
    /// `delivery.async`: the workers that send messages accepted for later delivery.
    package var asynchronous = AsyncDeliverySettings()
}

/// `providers.NAME:` — one provider instance.
package struct ProviderSettings: Sendable, Equatable {
    package var name: String
    /// The provider type: `default` (built in) or a definition in `providers/`.
    package var type: String
    /// The settings the type's definition declares (credentials included), after `${VAR}` expansion
    /// and defaults. Never logged.
    package var settings: [String: String]
    /// Replaces the definition's `base_url` (how tests point a provider at a fake).
    package var baseURL: String?
    /// `max_in_flight`, `queue` and `rate`: how hard the instance may be pushed.
    package var limits: ProviderLimits
    /// `receipts`: delivery receipts enabled, and how; `nil` when not.
    package var receipts: ReceiptSettings?
    /// `http2`: whether its `https` requests offer HTTP/2 in the TLS handshake; when false they
    /// stay on HTTP/1.1, for a provider whose HTTP/2 misbehaves.
    package var http2: Bool

    package init(
        name: String, type: String, settings: [String: String] = [:], baseURL: String? = nil, limits: ProviderLimits = ProviderLimits(),
        receipts: ReceiptSettings? = nil, http2: Bool = true
    ) {
        self.name = name
        self.type = type
        self.settings = settings
        self.baseURL = baseURL
        self.limits = limits
        self.receipts = receipts
        self.http2 = http2
    }

    /// Keys of a provider instance that are not settings of its type.
    package static let reservedKeys = ["type", "base_url", "receipts", "http2"] + ProviderLimits.keys
}
