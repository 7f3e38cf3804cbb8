import Foundation
import Hummingbird
import SwitchboardCore

/// `GET /admin/config`: the configuration in force, where and when it was loaded, and what waits
/// for a restart. Every secret (API keys, admin tokens, client secrets, provider settings marked
/// secret, the database password) is written as `redacted`.
struct AdminConfigAnswer: ResponseEncodable {
    static let redacted = "redacted"

    var hash: String
    var loaded_at: Date
    var files: [String]
    /// Settings changed since start-up that only a restart applies.
    var needs_restart: [String]
    var config: Config

    struct Config: Encodable {
        var server: Server
        var storage: String
        var admin: Admin
        var messages: Messages
        var delivery: Delivery
        var apps: [App]
        var providers: [Provider]
        var templates: [String]
        var routes: [Route]
        var retention: Retention
    }

    /// How long each kind is kept (`90d`, or `forever`) and how the purge is paced.
    struct Retention: Encodable {
        var messages: String
        var inbox: String
        var sessions: String
        var challenges: String
        var batch: Int
        var pause: String
        var every: String

        init(_ settings: RetentionSettings) {
            func kept(_ kind: RetainedKind) -> String { settings.window(kind)?.configText ?? RetentionSettings.forever }
            messages = kept(.messages)
            inbox = kept(.inbox)
            sessions = kept(.sessions)
            challenges = kept(.challenges)
            batch = settings.batch
            pause = settings.pause.configText
            every = settings.every.configText
        }
    }

    struct Server: Encodable {
        var listen: String
        var issuer: String
        var api_keys: [NamedSecret]
        var watch_config: Bool
    }

    struct NamedSecret: Encodable {
        var name: String
        var key: String
    }

    struct Admin: Encodable {
        var tokens: [String]
        var listen: String?
    }

    struct Messages: Encodable {
        var max_segments: Int
    }

    struct Delivery: Encodable {
        var deadline: String
        var attempt_timeout: String
    }

    struct App: Encodable {
        var id: String
        var name: String
        var clients: [Client]
        var countries_allowed: [String]?
        var countries_denied: [String]
        var otp_code_length: Int
        var otp_expires_in: String
        var otp_max_failures: Int
        var otp_lockout: String
        /// Present when Supabase's Send SMS hook may send the app's codes: one `redacted` per secret.
        var supabase_hook_secrets: [String]?
        /// Present when the app is an account of the Twilio-compatible Messages API; its token `redacted`.
        var twilio_api: TwilioAccount?
    }

    struct TwilioAccount: Encodable {
        var account_sid: String
        var auth_token: String
        var allow_from: Bool
    }

    struct Client: Encodable {
        var id: String
        var secret: String
    }

    struct Provider: Encodable {
        var name: String
        var type: String
        var base_url: String?
        var settings: [String: String]
        var max_in_flight: Int
        var queue: Int
        var rate: Int?
        var http2: Bool
    }

    struct Route: Encodable {
        var name: String
        var sender: String?
        var providers: [String]
        var split: [String]
        var template: String?
    }

    init(_ running: RunningConfiguration) {
        let loaded = running.loaded
        let config = loaded.config
        hash = loaded.hash
        loaded_at = loaded.loadedAt
        files = loaded.files
        needs_restart = running.pendingRestart
        let storage: String = switch config.storage {
        case .sqlite(let sqlite): sqlite.description
        // Printed without its password.
        case .postgres(let postgres): postgres.description
        }
        self.config = Config(
            server: Server(
                listen: ListenAddress(host: config.server.host, port: config.server.port).description, issuer: config.server.issuer,
                api_keys: config.server.apiKeys.map { NamedSecret(name: $0.name, key: Self.redacted) }, watch_config: config.server.watchConfig
            ),
            storage: storage,
            admin: Admin(tokens: config.admin.tokens.map { _ in Self.redacted }, listen: config.admin.listen?.description),
            messages: Messages(max_segments: config.messages.maxSegments),
            delivery: Delivery(deadline: config.delivery.deadline.configText, attempt_timeout: config.delivery.attemptTimeout.configText),
            apps: config.apps.map { app in
                App(
                    id: app.id, name: app.name, clients: app.clients.map { Client(id: $0.id, secret: Self.redacted) },
                    countries_allowed: app.countries.allow?.sorted(), countries_denied: app.countries.deny.sorted(),
                    otp_code_length: app.otp.codeLength, otp_expires_in: app.otp.expiresIn.configText, otp_max_failures: app.otp.maxFailures,
                    otp_lockout: app.otp.lockout.configText,
                    supabase_hook_secrets: app.supabaseHook.map { $0.secrets.map { _ in Self.redacted } },
                    twilio_api: app.twilioAPI.map { TwilioAccount(account_sid: $0.accountSID, auth_token: Self.redacted, allow_from: $0.allowFrom) }
                )
            },
            providers: config.providers.map { provider in
                let declared = loaded.catalog.definitions[provider.type]?.settings ?? []
                let settings = Dictionary(
                    uniqueKeysWithValues: provider.settings.map { name, value in
                        // A setting its definition does not declare as plain is kept out, to be safe.
                        let isPlain = declared.contains { $0.name == name && !$0.secret }
                        return (name, isPlain ? value : Self.redacted)
                    }
                )
                return Provider(
                    name: provider.name, type: provider.type, base_url: provider.baseURL, settings: settings,
                    max_in_flight: provider.limits.maxInFlight, queue: provider.limits.queue, rate: provider.limits.rate, http2: provider.http2
                )
            },
            templates: config.templates.keys.sorted(),
            routes: config.routes.map { rule in
                Route(
                    name: rule.name, sender: rule.sender?.description, providers: rule.providers,
                    split: rule.split.map { "\($0.provider):\($0.weight)" }, template: rule.template
                )
            },
            retention: Retention(config.retention)
        )
    }
}
