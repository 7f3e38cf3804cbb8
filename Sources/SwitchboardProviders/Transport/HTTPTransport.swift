package import Logging
import NIOCore
import NIOHTTP1
package import SwitchboardCore

/// Sends provider requests over the application's one connection pool, and turns every way a
/// request can fail into an answer the caller can classify: no request ever throws out of here.
/// No redirect is followed: a provider request carries credentials and must never be replayed to
/// another host.
package struct HTTPTransport: Sendable {
    private let pool: HTTPConnectionPool
    private let clock: any SwitchboardClock
    private var offersHTTP2 = true

    /// - Parameters:
    ///   - pool: The application's one pool of provider connections, shut down by `HTTPClientService`.
    ///   - clock: Tells how much of a deadline is left.
    package init(pool: HTTPConnectionPool, clock: any SwitchboardClock = SystemClock()) {
        self.pool = pool
        self.clock = clock
    }

    /// The same transport, whose `https` requests offer only HTTP/1.1 in the TLS handshake. They
    /// go over connections of their own, never over another's HTTP/2 connection to the same host.
    package func withoutHTTP2() -> HTTPTransport {
        var transport = self
        transport.offersHTTP2 = false
        return transport
    }

    /// Sends one request and reads at most `maxResponseBytes` of its answer.
    /// - Parameters:
    ///   - request: What to send.
    ///   - deadline: The whole exchange, answer body included, must be over by then. It alone
    ///     bounds how long an answer may take: there is no separate read timeout to cut a long
    ///     `attempt_timeout` short.
    ///   - maxResponseBytes: A longer answer is abandoned unread and reported as `tooLarge`.
    ///   - logger: The caller's logger.
    package func execute(
        _ request: TransportRequest, deadline: ContinuousClock.Instant, maxResponseBytes: Int, logger: Logger
    ) async -> TransportResult {
        let url: TransportURL
        do {
            url = try TransportURL(parsing: request.url)
        } catch {
            return .failure(.notSent(error.description))
        }
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { return .failure(.notSent("the attempt's time ran out before the request was sent")) }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        if !headers.contains(name: "Host") { headers.add(name: "Host", value: url.hostHeader) }
        if let body = request.body { headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: url.target, headers: headers)
        return await pool.exchange(
            url, offersHTTP2: offersHTTP2, head: head, body: request.body, maxResponseBytes: maxResponseBytes,
            deadline: .now() + .nanoseconds(remaining.wholeNanoseconds)
        )
    }
}

/// One request, fully built and escaped.
package struct TransportRequest: Sendable {
    package var method: String
    package var url: String
    package var headers: [(String, String)]
    package var body: [UInt8]?

    package init(method: String, url: String, headers: [(String, String)], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An answer, read in full (within the size limit).
package struct TransportResponse: Sendable {
    package var status: Int
    package var headers: [(String, String)]
    package var body: [UInt8]

    /// The first value of a header; names compare ASCII case-insensitively, as HTTP's do.
    package func header(_ name: String) -> String? {
        headers.first { $0.0.utf8.equalsIgnoringASCIICase(name.utf8) }?.1
    }
}

package enum TransportResult: Sendable {
    case response(TransportResponse)
    case failure(TransportFailure)
}

/// Why no answer could be read.
package enum TransportFailure: Sendable, Error {
    /// The request never left: connection refused, DNS, TLS, connect timeout. Safe to send elsewhere.
    case notSent(String)
    /// The request may have reached the provider: timeout or reset after sending.
    case maybeSent(String)
    /// The answer was longer than allowed; none of it was processed.
    case tooLarge(status: Int, limit: Int)
}

extension Duration {
    /// The duration in nanoseconds, saturating far beyond any timeout we use.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 else { return .max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
