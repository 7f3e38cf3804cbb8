package import Foundation
package import SwitchboardCore

/// The OTP login flow: client tokens, users, sending and checking codes, user tokens and sessions.
///
/// Every SMS goes through ``Gateway/send(_:logger:)``. All state is in the ``LoginStore``; the
/// keys (code hashing, token signing) are created there on first use, so a restart keeps codes and
/// tokens valid. Logs carry no code, secret or token, and phone numbers only masked.
package struct LoginService: Sendable {
    package let config: SwitchboardConfig
    let store: any LoginStore
    let gateway: Gateway
    let keys: LoginKeys
    /// Where conceal mode runs a delivery after answering: the daemon's background work, drained
    /// at shutdown. Without it the delivery runs before the answer.
    let background: BackgroundWork?
    /// The clock of codes, lockouts, limits and tokens; tests move it.
    let clock: any SwitchboardClock
    /// The verify providers, by name: a challenge one of them accepted is checked by it.
    let verifiers: [String: any CodeVerifier]
    /// Hears of sends, refusals, code checks and lockouts (metrics).
    let observer: (any LoginObserver)?
    /// This daemon's view of the scopes the conversion rule slows; outlives reloads.
    package let conversion: ConversionMonitor

    /// Client and user access tokens live this long (Mosaic: 3600 s).
    package static let tokenLifetime = 3600
    /// Refresh tokens live this long (Mosaic: 14 days).
    package static let refreshLifetime: TimeInterval = 14 * 86_400
    package static let codeKeyName = "otp-code-hmac-key"
    /// The `aud` of a client token asked for without a `resource`: this API (Mosaic's value).
    package static let apiAudience = "userid-api"

    package init(
        config: SwitchboardConfig, store: any LoginStore, gateway: Gateway, background: BackgroundWork? = nil,
        clock: any SwitchboardClock = SystemClock(), verifiers: [String: any CodeVerifier] = [:],
        observer: (any LoginObserver)? = nil, conversion: ConversionMonitor = ConversionMonitor()
    ) {
        self.conversion = conversion
        self.verifiers = verifiers
        self.config = config
        self.store = store
        self.gateway = gateway
        self.background = background
        self.clock = clock
        self.observer = observer
        self.keys = LoginKeys(store: store, issuer: config.server.issuer)
    }

    /// Creates the keys in the store if they are not there yet; the server calls it before serving.
    package func prepare() async throws {
        _ = try await keys.get()
    }

    package func tokenIssuer() async throws -> TokenIssuer {
        try await keys.get().issuer
    }
}
