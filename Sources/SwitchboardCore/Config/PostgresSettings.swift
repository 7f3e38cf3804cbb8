import Foundation

/// `storage.postgres:` — the PostgreSQL database that holds all state, shared by every daemon using it.
package struct PostgresSettings: Sendable, Equatable {
    /// How the connection is encrypted, from the URL's `sslmode`: libpq's names, and libpq's meaning.
    package enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain text.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection.
        case require
        /// TLS, and the server's certificate must chain to a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS, and the server's certificate must chain to a trusted authority and name the host.
        case verifyFull = "verify-full"
    }

    /// What a TLS connection checks of the server's certificate. As in libpq, `prefer` and
    /// `require` check nothing unless `sslrootcert` names the authorities (then the chain, as
    /// `verify-ca` does); `verify-full` checks the host name too.
    package enum CertificateCheck: Sendable, Equatable {
        case none
        case chain
        case chainAndHost
    }

    package var host: String
    package var port: Int
    package var username: String
    /// Never printed: ``description`` and every config problem leave it out.
    package var password: String?
    package var database: String
    package var tls: TLSMode
    /// `sslrootcert`: the PEM file of the authorities the server's certificate must chain to, or
    /// `system` for the system's trust store; `nil` when the URL names none.
    package var rootCertificates: String?
    /// The most connections one daemon opens.
    package var pool: Int

    package init(
        host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode = .prefer,
        rootCertificates: String? = nil, pool: Int = 20
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificates = rootCertificates
        self.pool = pool
    }

    package var certificateCheck: CertificateCheck {
        switch tls {
        case .disable: .none
        case .prefer, .require: rootCertificates == nil ? .none : .chain
        case .verifyCA: .chain
        case .verifyFull: .chainAndHost
        }
    }

    /// The file of authorities to trust, or `nil` for the system's trust store.
    package var rootCertificatesFile: String? {
        rootCertificates == Self.systemTrustStore ? nil : rootCertificates
    }

    /// The `sslrootcert` that names the system's trust store, as in libpq.
    static let systemTrustStore = "system"

    /// Reads `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE&sslrootcert=FILE]`
    /// (`postgresql://` too), with a pool of `pool` connections. As in libpq, a host that begins
    /// with a slash is the directory of the server's Unix-domain socket, given percent-encoded in
    /// place of the host (`postgres://sb@%2Frun%2Fpostgresql/app`) or as the `host` parameter
    /// with the host left empty (`postgres://sb@/app?host=/run/postgresql`).
    /// - Returns: The settings, or what is wrong with the URL, in words that never include the password.
    package static func parse(url text: String, pool: Int = 20) -> Result<PostgresSettings, URLProblem> {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(.notAURL)
        }
        guard scheme == "postgres" || scheme == "postgresql" else { return .failure(.scheme(scheme)) }
        var host = components.host ?? ""
        guard let username = components.user, !username.isEmpty else { return .failure(.missing("user name")) }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { return .failure(.missing("database name")) }
        if let port = components.port, !(1...65535).contains(port) { return .failure(.port) }
        var tls: TLSMode?
        var rootCertificates: String?
        var named: Set<String> = []
        for item in components.queryItems ?? [] {
            guard named.insert(item.name).inserted else { return .failure(.parameterTwice(item.name)) }
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else { return .failure(.sslmode(item.value ?? "")) }
                tls = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { return .failure(.emptyRootCertificates) }
                rootCertificates = value
            case "host":
                guard host.isEmpty else { return .failure(.hostTwice) }
                host = item.value ?? ""
            default:
                return .failure(.parameter(item.name))
            }
        }
        guard !host.isEmpty else { return .failure(.missing("host")) }
        // An IPv6 literal comes back in brackets.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let settings = PostgresSettings(
            host: bare, port: components.port ?? 5432, username: username, password: components.password, database: database,
            tls: tls ?? .prefer, rootCertificates: rootCertificates, pool: pool
        )
        if rootCertificates != nil, tls == .disable { return .failure(.rootCertificatesWithoutTLS) }
        if let path = settings.unixSocketPath {
            // PostgreSQL never encrypts a Unix-domain socket: a URL that demands TLS or a certificate there asks for what cannot be.
            if let tls, tls != .disable, tls != .prefer { return .failure(.tlsOnUnixSocket("sslmode '\(tls.rawValue)'")) }
            if rootCertificates != nil { return .failure(.tlsOnUnixSocket("sslrootcert")) }
            if path.utf8.count > maxUnixSocketPathBytes { return .failure(.unixSocketPathTooLong(path)) }
        }
        return .success(settings)
    }

    /// The longest Unix-domain socket path a connection can be made to (SwiftNIO's limit, which
    /// leaves room below the kernel's on every system it runs on).
    static let maxUnixSocketPathBytes = 103

    /// The server's Unix-domain socket, `DIRECTORY/.s.PGSQL.PORT`, when the host is a directory
    /// (libpq's rule: a host that begins with a slash); `nil` for a host reached over TCP.
    package var unixSocketPath: String? {
        guard host.hasPrefix("/") else { return nil }
        let directory = host.count > 1 && host.hasSuffix("/") ? String(host.dropLast()) : host
        return "\(directory == "/" ? "" : directory)/.s.PGSQL.\(port)"
    }

    /// What is wrong with a PostgreSQL URL.
    package enum URLProblem: Error, Equatable, CustomStringConvertible {
        case notAURL
        case scheme(String)
        case missing(String)
        case port
        case parameter(String)
        case sslmode(String)
        case parameterTwice(String)
        case hostTwice
        case tlsOnUnixSocket(String)
        case emptyRootCertificates
        case rootCertificatesWithoutTLS
        case unixSocketPathTooLong(String)

        package var description: String {
            switch self {
            case .notAURL: "is not a URL"
            case .scheme(let scheme): "starts with '\(scheme)://', not postgres:// or postgresql://"
            case .missing(let part): "has no \(part)"
            case .port: "has a port outside 1 to 65535"
            case .parameter(let name): "has the parameter '\(name)', which Switchboard does not read; only sslmode, sslrootcert and host are allowed"
            case .parameterTwice(let name): "gives the parameter '\(name)' more than once; keep one"
            case .hostTwice: "names a host both before the database and in its 'host' parameter; keep one"
            case .tlsOnUnixSocket(let what):
                "has \(what) with a Unix-domain socket, where PostgreSQL never uses TLS; leave it out, or connect over TCP"
            case .emptyRootCertificates:
                "has an empty sslrootcert; name the PEM file of the authorities that sign the server's certificate, or write sslrootcert=system"
            case .rootCertificatesWithoutTLS:
                "has sslrootcert with sslmode 'disable', which never checks a certificate; drop one of them"
            case .unixSocketPathTooLong(let path):
                "leads to the socket \(path), \(path.utf8.count) bytes long; a Unix-domain socket path may have at most \(PostgresSettings.maxUnixSocketPathBytes): move the socket's directory (unix_socket_directories) to a shorter path"
            case .sslmode(let value): "has sslmode '\(value)'; write \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))"
            }
        }
    }
}

extension PostgresSettings: CustomStringConvertible {
    /// The URL with the password left out, for logs and messages.
    package var description: String {
        if unixSocketPath != nil { return "postgres://\(username)@:\(port)/\(database)?host=\(host)" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)@\(shownHost):\(port)/\(database)"
    }
}

extension PostgresSettings {
    /// How the connection is made and what it checks, in words, for `switchboard check`.
    package var security: String {
        if let unixSocketPath { return "Unix-domain socket \(unixSocketPath)" }
        let authorities = rootCertificatesFile.map { "the authorities in \($0)" } ?? "the system's trust store"
        let check =
            switch certificateCheck {
            case .none: "the server's certificate not checked"
            case .chain: "the server's certificate checked against \(authorities), not its host name"
            case .chainAndHost: "the server's certificate checked against \(authorities) and for the name \(host)"
            }
        return switch tls {
        case .disable: "sslmode disable: not encrypted"
        case .prefer: "sslmode prefer: encrypted when the server offers TLS, \(check)"
        case .require, .verifyCA, .verifyFull: "sslmode \(tls.rawValue): encrypted, \(check)"
        }
    }
}
