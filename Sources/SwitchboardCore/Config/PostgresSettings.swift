import Foundation

/// `storage.postgres:` — the PostgreSQL database that holds all state, shared by every daemon using it.
package struct PostgresSettings: Sendable, Equatable {
    /// How the connection is encrypted, from the URL's `sslmode` (libpq's names).
    package enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain text.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection.
        case require
    }

    package var host: String
    package var port: Int
    package var username: String
    /// Never printed: ``description`` and every config problem leave it out.
    package var password: String?
    package var database: String
    package var tls: TLSMode
    /// The most connections one daemon opens.
    package var pool: Int

    package init(host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode = .prefer, pool: Int = 20) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.pool = pool
    }

    /// Reads `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`
    /// (`postgresql://` too), with a pool of `pool` connections.
    /// - Returns: The settings, or what is wrong with the URL, in words that never include the password.
    package static func parse(url text: String, pool: Int = 20) -> Result<PostgresSettings, URLProblem> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(.notAURL)
        }
        guard scheme == "postgres" || scheme == "postgresql" else { return .failure(.scheme(scheme)) }
        guard let host = components.host, !host.isEmpty else { return .failure(.missing("host")) }
        guard let username = components.user, !username.isEmpty else { return .failure(.missing("user name")) }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { return .failure(.missing("database name")) }
        if let port = components.port, !(1...65535).contains(port) { return .failure(.port) }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { return .failure(.parameter(item.name)) }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else { return .failure(.sslmode(item.value ?? "")) }
            tls = mode
        }
        // An IPv6 literal comes back in brackets.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return .success(
            PostgresSettings(
                host: bare, port: components.port ?? 5432, username: username, password: components.password, database: database,
                tls: tls, pool: pool
            )
        )
    }

    /// What is wrong with a PostgreSQL URL.
    package enum URLProblem: Error, Equatable, CustomStringConvertible {
        case notAURL
        case scheme(String)
        case missing(String)
        case port
        case parameter(String)
        case sslmode(String)

        package var description: String {
            switch self {
            case .notAURL: "is not a URL"
            case .scheme(let scheme): "starts with '\(scheme)://', not postgres:// or postgresql://"
            case .missing(let part): "has no \(part)"
            case .port: "has a port outside 1 to 65535"
            case .parameter(let name): "has the parameter '\(name)', which Switchboard does not read; only sslmode is allowed"
            case .sslmode(let value): "has sslmode '\(value)'; write \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))"
            }
        }
    }
}

extension PostgresSettings: CustomStringConvertible {
    /// The URL with the password left out, for logs and messages.
    package var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)@\(shownHost):\(port)/\(database)"
    }
}
