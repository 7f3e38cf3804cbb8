package import AsyncHTTPClient
package import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Foundation
package import SwitchboardCore

/// Sends provider requests over the one shared `HTTPClient`, and turns every way a request can
/// fail into an answer the caller can classify: no request ever throws out of here.
package struct HTTPTransport: Sendable {
    private let client: HTTPClient
    private let clock: any SwitchboardClock

    /// - Parameters:
    ///   - client: The application's one HTTP client, shut down by `HTTPClientService`.
    ///   - clock: Tells how much of a deadline is left.
    package init(client: HTTPClient, clock: any SwitchboardClock = SystemClock()) {
        self.client = client
        self.clock = clock
    }

    /// The configuration of the shared client: no redirects (a provider request carries credentials
    /// and must never be replayed to another host), a connect timeout shorter than an attempt, pooled connections.
    /// - Parameter connectionsPerHost: Pooled connections to one host at most: no fewer than the
    ///   requests the providers on that host may have in flight (`providers.NAME.max_in_flight`),
    ///   so that each provider's limiter, not the pool, bounds its sends.
    package static func clientConfiguration(connectionsPerHost: Int) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            // Connecting gets less than the default attempt timeout (3s), so a host that does not
            // answer the connection fails as "not sent" (retryable) rather than at the attempt
            // deadline, which cannot tell whether the request went out (ambiguous). No read timeout:
            // every request carries its deadline (the attempt's, a webhook's, a token's), which
            // alone decides how long an answer may take; a read timeout would cut a longer
            // `attempt_timeout` short, and it re-arms a timer on every read of every answer.
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(2))
        )
        configuration.decompression = .disabled
        // No tracer is bootstrapped, and the no-op one still costs a span per request.
        configuration.tracing.tracer = nil
        // A provider that refuses connections should hand the message to the next provider at once;
        // the failover chain is our retry, and AHC's own reconnect loop would spend the whole attempt
        // timeout on a dead host.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Past the pool's limit AHC queues requests without bound and without regard to their
        // failover: the limiter in front of each provider is where sends wait, within their deadline.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, connectionsPerHost)
        return configuration
    }

    /// Sends one request and reads at most `maxResponseBytes` of its answer.
    /// - Parameters:
    ///   - request: What to send.
    ///   - deadline: The whole exchange, answer body included, must be over by then.
    ///   - maxResponseBytes: A longer answer is abandoned unread and reported as `tooLarge`.
    ///   - logger: The caller's logger.
    package func execute(
        _ request: TransportRequest, deadline: ContinuousClock.Instant, maxResponseBytes: Int, logger: Logger
    ) async -> TransportResult {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { return .failure(.notSent("the attempt's time ran out before the request was sent")) }
        let nioDeadline = NIODeadline.now() + .nanoseconds(Int64(remaining.wholeNanoseconds))
        do {
            let response = try await client.execute(outgoing, deadline: nioDeadline, logger: logger)
            let headers = response.headers.map { ($0.name, $0.value) }
            // Refuse a declared oversize answer before reading a byte of it.
            if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > maxResponseBytes {
                return .failure(.tooLarge(status: Int(response.status.code), limit: maxResponseBytes))
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maxResponseBytes)
            } catch is NIOTooManyBytesError {
                return .failure(.tooLarge(status: Int(response.status.code), limit: maxResponseBytes))
            }
            return .response(TransportResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body)))
        } catch {
            return .failure(Self.classify(error))
        }
    }

    /// Whether a failed exchange may have reached the provider. Connection set-up failures cannot
    /// have; anything after the request was written (a timeout, a reset) may have.
    static func classify(_ error: any Error) -> TransportFailure {
        let text = String(describing: error)
        if let httpError = error as? HTTPClientError {
            let beforeSending: [HTTPClientError] = [
                .connectTimeout, .invalidURL, .emptyHost, .missingSocketPath, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
                .tlsHandshakeTimeout, .alreadyShutdown, .emptyScheme,
            ]
            return beforeSending.contains(httpError) ? .notSent(text) : .maybeSent(text)
        }
        if error is NIOConnectionError { return .notSent(text) }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return .notSent(text) }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL: return .notSent(text)
            default: return .maybeSent(text)
            }
        }
        return .maybeSent(text)
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
