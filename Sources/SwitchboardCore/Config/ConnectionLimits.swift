/// How long one HTTP client may take and how many may be connected at once (`server.timeouts`,
/// `server.max_connections`), so that slow or idle sockets cannot pile up.
package struct ConnectionLimits: Sendable, Equatable {
    /// `server.timeouts.header` — from the first byte of a request to the end of its headers.
    package var header: Duration = .seconds(10)
    /// `server.timeouts.body` — from the end of a request's headers to the end of its body.
    package var body: Duration = .seconds(30)
    /// `server.timeouts.idle` — how long a connection may wait for its next request.
    package var idle: Duration = .seconds(60)
    /// `server.max_connections` — connections beyond this wait in the listen backlog.
    package var maxConnections: Int = 1024

    /// The listen queue holds as many connects as may be open at once, so a burst of new clients
    /// waits there to be accepted instead of having its handshakes dropped and retried a second or
    /// more later; never shorter than the server's usual queue.
    package var listenBacklog: Int { max(maxConnections, Self.usualListenBacklog) }

    private static let usualListenBacklog = 256

    package init() {}
}

/// How failed credentials are slowed down (`server.credential_failures`): past `failures` wrong
/// client secrets, client tokens or API keys within `window`, from one address or for one client,
/// every attempt of that address or client is answered `429` for `block`.
package struct CredentialFailureLimits: Sendable, Equatable {
    /// `server.credential_failures.failures`.
    package var failures: Int = 10
    /// `server.credential_failures.window`.
    package var window: Duration = .seconds(60)
    /// `server.credential_failures.block`.
    package var block: Duration = .seconds(60)

    package init() {}
}
