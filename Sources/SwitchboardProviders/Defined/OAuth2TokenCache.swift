package import Foundation
package import Logging
package import SwitchboardCore
import SwitchboardJSON

/// The OAuth2 client-credentials token of one provider instance.
///
/// Shared by every send through that instance: a valid token is reused until shortly before it
/// expires, concurrent sends that need a new one wait for a single token request (single flight),
/// and a token the provider rejects is dropped once, so exactly one refresh follows however many
/// sends saw the rejection. The token request runs in the task of the send that made it, never on
/// its own: if that send is cancelled meanwhile, the sends waiting on it ask again themselves. A
/// send waits for another's token request only until its own deadline or cancellation.
package actor OAuth2TokenCache {
    /// A token and every field of its answer (`access_token`, `soap_instance_url`, ...).
    package struct Token: Sendable {
        package var fields: [String: String]
        package var accessToken: String
        /// After this the token is not handed out any more.
        package var refreshAt: ContinuousClock.Instant
        /// Tells tokens apart, so a rejection of an old token does not drop a newer one.
        package var generation: Int
    }

    private let oauth: ProviderDefinition.OAuth2
    private let values: ProviderValues
    private let transport: HTTPTransport
    private let providerName: String
    private let clock: any SwitchboardClock
    /// Hears of each token request and its result (metrics).
    private let observer: (any SendObserver)?
    private var current: Token?
    /// The sends waiting for the token request in flight, when one is; each is handed its answer, or
    /// `nil` when the send that made it was cancelled.
    private var inFlight: [FirstAnswer<Result<Token, TokenFailure>?>]?
    private var generation = 0
    /// How many token requests were made; for tests and metrics.
    package private(set) var requestCount = 0

    /// - Parameters:
    ///   - oauth: The definition's token request.
    ///   - values: The instance's settings and base URL, for the token request's placeholders.
    ///   - clock: Measures a token's life.
    ///   - observer: Hears of each token request and its result (metrics).
    package init(
        oauth: ProviderDefinition.OAuth2, values: ProviderValues, transport: HTTPTransport, providerName: String,
        clock: any SwitchboardClock = SystemClock(), observer: (any SendObserver)? = nil
    ) {
        self.observer = observer
        self.oauth = oauth
        self.values = values
        self.transport = transport
        self.providerName = providerName
        self.clock = clock
    }

    /// A token valid now, from the cache or from one shared token request.
    /// - Parameters:
    ///   - deadline: The token request, if one is made by this call, must be over by then.
    package func token(deadline: ContinuousClock.Instant, logger: Logger) async -> Result<Token, TokenFailure> {
        while true {
            if let current, clock.now < current.refreshAt { return .success(current) }
            guard inFlight != nil else { break }
            let waiting = FirstAnswer<Result<Token, TokenFailure>?>()
            inFlight?.append(waiting)
            if let shared = await Self.wait(for: waiting, until: deadline, clock: clock) { return shared }
        }
        generation += 1
        requestCount += 1
        inFlight = []
        let result = await Self.fetch(
            oauth, values: values, transport: transport, generation: generation, deadline: deadline, providerName: providerName, clock: clock,
            logger: logger
        )
        let waiting = inFlight ?? []
        inFlight = nil
        if case .success(let token) = result { current = token }
        // A request given up with its send answers nothing for the others: they ask again.
        var shared: Result<Token, TokenFailure>? = result
        if case .failure = result, Task.isCancelled { shared = nil }
        switch shared {
        case .success?: observer?.tokenRequested(provider: providerName, failure: nil)
        case .failure(let failure)?: observer?.tokenRequested(provider: providerName, failure: failure.code)
        case nil: break
        }
        for waiter in waiting { waiter.finish(shared) }
        return result
    }

    /// The answer of the token request in flight, or a failure when this send's own deadline or its
    /// cancellation comes first: the send that made the request may have more time than this one,
    /// and its request goes on for the others.
    private static func wait(
        for answer: FirstAnswer<Result<Token, TokenFailure>?>, until deadline: ContinuousClock.Instant, clock: any SwitchboardClock
    ) async -> Result<Token, TokenFailure>? {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Cancelled once the answer is in.
                guard (try? await clock.sleep(until: deadline)) != nil else { return }
                let message = "the token request in flight had not answered by the attempt's deadline"
                answer.finish(.failure(TokenFailure(code: "token_unreachable", message: message)))
            }
            let value = await withTaskCancellationHandler {
                await answer.value()
            } onCancel: {
                let message = "the send was cancelled while the token request was in flight"
                answer.finish(.failure(TokenFailure(code: "token_unreachable", message: message)))
            }
            group.cancelAll()
            return value
        }
    }

    /// How many sends wait for the token request in flight; for tests.
    package var waitingCount: Int { inFlight?.count ?? 0 }

    /// Drops `token` because the provider refused it; a newer token is kept.
    package func reject(_ token: Token) {
        if current?.generation == token.generation { current = nil }
    }

    private static func fetch(
        _ oauth: ProviderDefinition.OAuth2, values: ProviderValues, transport: HTTPTransport, generation: Int,
        deadline: ContinuousClock.Instant, providerName: String, clock: any SwitchboardClock, logger: Logger
    ) async -> Result<Token, TokenFailure> {
        let request: TransportRequest
        do {
            request = try RequestBuilder.tokenRequest(oauth, values: values)
        } catch {
            return .failure(TokenFailure(code: "token_request_unbuildable", message: "the token request could not be built: \(error)"))
        }
        let started = clock.now
        switch await transport.execute(request, deadline: deadline, maxResponseBytes: 65_536, logger: logger) {
        case .failure(let failure):
            logger.info("token request failed", metadata: ["sb.provider": "\(providerName)"])
            return .failure(TokenFailure(code: "token_unreachable", message: "the token endpoint did not answer: \(failure)"))
        case .response(let response):
            guard (200..<300).contains(response.status) else {
                logger.info("token request refused", metadata: ["sb.provider": "\(providerName)", "sb.http.status": "\(response.status)"])
                return .failure(TokenFailure(code: "token_refused", message: "the token endpoint answered HTTP \(response.status)", status: response.status))
            }
            guard case .object(let members)? = JSONAnswer.parse(response.body), let accessToken = members["access_token"]?.text, !accessToken.isEmpty else {
                return .failure(TokenFailure(code: "token_invalid", message: "the token answer has no access_token"))
            }
            var fields: [String: String] = [:]
            for (key, value) in members {
                if let text = value.text { fields[key] = text }
            }
            let lifetime = members["expires_in"]?.text.flatMap(Double.init).map { Duration.milliseconds(Int64($0 * 1000)) } ?? oauth.defaultLifetime
            // Refresh `refresh_before` ahead of expiry, but never use less than half a token's life,
            // so a short-lived token is not fetched again for every send.
            let usable = max(lifetime - oauth.refreshBefore, lifetime / 2)
            return .success(Token(fields: fields, accessToken: accessToken, refreshAt: started + usable, generation: generation))
        }
    }
}

/// Why no token could be had; the message was not sent, so another provider may take it.
package struct TokenFailure: Error, Sendable {
    package var code: String
    package var message: String
    package var status: Int?
}

extension OAuth2TokenCache {
    /// When the cached token stops being handed out (wall time), for the admin API; `nil` before
    /// the first token.
    package func refreshDate() -> Date? {
        guard let current else { return nil }
        return clock.date.addingTimeInterval((current.refreshAt - clock.now).timeInterval)
    }
}
