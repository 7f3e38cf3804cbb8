/// `admin:` — who may use the admin API, and where it listens.
///
/// The admin API has its own credentials: an API key (`server.api_keys`) is never an admin token.
/// Without tokens the admin API is off.
package struct AdminSettings: Sendable, Equatable {
    /// `admin.tokens`: the bearer tokens of the admin API (`${ENV}` references). Never logged.
    package var tokens: [String] = []
    /// `admin.listen`: where the admin API listens instead of `server.listen`, such as `127.0.0.1:9090`.
    package var listen: ListenAddress?

    package init(tokens: [String] = [], listen: ListenAddress? = nil) {
        self.tokens = tokens
        self.listen = listen
    }

    /// Whether the admin API answers at all.
    package var isEnabled: Bool { !tokens.isEmpty }
}

/// A `HOST:PORT` to listen on.
package struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
