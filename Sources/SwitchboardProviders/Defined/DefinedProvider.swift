import Foundation
package import Logging
package import SwitchboardCore
import SwitchboardJSON
import SwitchboardXML

/// A provider whose wire format is a definition file in `providers/` (REST or SOAP): builds the
/// request, sends it over the shared transport, reads the answer and classifies it by the
/// definition's rules.
package struct DefinedProvider: SMSProvider {
    package let name: String
    private let definition: ProviderDefinition
    private let transport: HTTPTransport
    /// The instance's settings and base URL, as placeholder values.
    private let values: ProviderValues
    /// Why the definition's base URL could not be built from the instance's settings; every send
    /// reports it, since no request can be built without the base URL.
    private let baseURLFailure: RequestBuilder.Failure?
    /// Present when the definition authenticates with OAuth2.
    package let tokens: OAuth2TokenCache?
    private let clock: any SwitchboardClock

    /// - Parameters:
    ///   - settings: The instance from `config.yaml` (validated against `definition`).
    ///   - definition: Its type's definition.
    ///   - transport: The shared HTTP transport.
    ///   - clock: The time source of its OAuth2 token cache and of `Retry-After` dates.
    ///   - sharedTokens: The token cache of another exchange of the same instance (a verify
    ///     provider's `start`), so that one token serves all of them; `nil` makes a new one.
    package init(
        settings: ProviderSettings, definition: ProviderDefinition, transport: HTTPTransport, clock: any SwitchboardClock = SystemClock(),
        sharedTokens: OAuth2TokenCache? = nil, observer: (any SendObserver)? = nil
    ) {
        self.name = settings.name
        self.clock = clock
        self.definition = definition
        // Its token requests as well as its messages.
        let transport = settings.http2 ? transport : transport.withoutHTTP2()
        self.transport = transport
        var values = ProviderValues()
        values.add(settings.settings, prefix: "settings")
        values[ProviderValues.receiptURLVariable] = settings.receipts?.callbackURL(provider: settings.name)
        // The base URL may itself use settings (`https://{settings.subdomain}.auth...`).
        var baseURLFailure: RequestBuilder.Failure?
        if let base = settings.baseURL {
            values["base_url"] = base
        } else if let template = definition.baseURL {
            // Same rules as a request URL: a leading placeholder is an address, the rest is encoded.
            do {
                values["base_url"] = try RequestBuilder.render(url: template, values: values)
            } catch {
                baseURLFailure = error
            }
        }
        self.values = values
        self.baseURLFailure = baseURLFailure
        if let sharedTokens {
            tokens = sharedTokens
        } else if case .oauth2(let oauth) = definition.auth {
            tokens = OAuth2TokenCache(oauth: oauth, values: values, transport: transport, providerName: settings.name, clock: clock, observer: observer)
        } else {
            tokens = nil
        }
    }

    /// Its requests end by their deadline and when their send is cancelled (`HTTPTransport`), and
    /// so does a wait for another send's token request (`OAuth2TokenCache`).
    package var answersByDeadline: Bool { true }

    package func send(_ message: OutboundMessage, deadline: ContinuousClock.Instant, logger: Logger) async -> ProviderResponse {
        await exchange({ $0.add(message) }, deadline: deadline, logger: logger).response
    }

    /// Builds the definition's request from the instance's values and those `fill` adds, sends it
    /// (with a fresh token once if the rules say the token was refused) and classifies the answer.
    /// - Returns: The rule's decision (retryable when nothing could be sent) and the response.
    package func exchange(
        _ fill: (inout ProviderValues) -> Void, deadline: ContinuousClock.Instant, logger: Logger
    ) async -> (decision: ProviderDefinition.Decision, response: ProviderResponse) {
        if let baseURLFailure {
            logger.logOutsideFrame(
                .info, "provider base URL cannot be built", metadata: ["sb.provider": "\(name)", "sb.problem": "\(baseURLFailure)"]
            )
            return (.retryable, ProviderResponse(outcome: .retryable, code: "request_unbuildable", message: "the base URL cannot be built: " + Self.describe(baseURLFailure)))
        }
        var values = self.values
        fill(&values)
        var refreshed = false
        while true {
            var token: OAuth2TokenCache.Token?
            if let tokens {
                switch await tokens.token(deadline: deadline, logger: logger) {
                case .success(let fresh):
                    token = fresh
                    values.add(fresh.fields, prefix: "token")
                case .failure(let failure):
                    // No token means nothing was sent: this provider is out, another may do.
                    return (.retryable, ProviderResponse(outcome: .retryable, code: failure.code, message: failure.message))
                }
            }
            let request: TransportRequest
            switch messageRequest(values: values, token: token, logger: logger) {
            case .success(let built):
                request = built
            case .failure(let unbuildable):
                return (.retryable, unbuildable.response)
            }
            let result = await transport.execute(request, deadline: deadline, maxResponseBytes: definition.response.maxBytes, logger: logger)
            let (decision, response) = judged(result, logger: logger)
            guard decision == .refreshToken else { return (decision, response) }
            if let tokens, let token, !refreshed {
                await tokens.reject(token)
                refreshed = true
                continue
            }
            return (
                .retryable,
                ProviderResponse(
                    outcome: .retryable, providerMessageID: response.providerMessageID, code: response.code ?? "token_rejected",
                    message: response.message ?? "the provider rejected a fresh token"
                )
            )
        }
    }

    // The two steps around the request are synchronous calls, never inlined: an async function's
    // frame holds what any part of it needs, and `exchange`'s stays allocated, in every send in
    // flight, while the provider answers.

    /// The definition's request with these values, or the response of a request that cannot be
    /// built (logged).
    @inline(never)
    private func messageRequest(
        values: ProviderValues, token: OAuth2TokenCache.Token?, logger: Logger
    ) -> Result<TransportRequest, UnbuildableRequest> {
        do {
            let bearer: String? = if case .oauth2(let oauth) = definition.auth, oauth.sendsBearer { token?.accessToken } else { nil }
            return .success(try RequestBuilder.messageRequest(definition, values: values, bearer: bearer))
        } catch {
            // This provider's definition or settings cannot carry this message (no sender, a
            // setting that is not set): nothing was sent, and another provider may well manage.
            logger.logOutsideFrame(.info, "provider request cannot be built", metadata: ["sb.provider": "\(name)", "sb.problem": "\(error)"])
            return .failure(UnbuildableRequest(response: ProviderResponse(outcome: .retryable, code: "request_unbuildable", message: Self.describe(error))))
        }
    }

    /// The response of a request that could not be built, as a failure.
    private struct UnbuildableRequest: Error {
        var response: ProviderResponse
    }

    /// ``classify(_:)``, logged.
    @inline(never)
    private func judged(_ result: TransportResult, logger: Logger) -> (ProviderDefinition.Decision, ProviderResponse) {
        let (decision, response) = classify(result)
        logger.logOutsideFrame(
            .debug, "provider answered",
            metadata: ["sb.provider": "\(name)", "sb.decision": "\(decision.rawValue)", "sb.provider.code": "\(response.code ?? "")"]
        )
        return (decision, response)
    }

    /// The decision for one exchange, and the response that goes with it (for `refreshToken`, what
    /// to report if no second try is allowed).
    func classify(_ result: TransportResult) -> (ProviderDefinition.Decision, ProviderResponse) {
        let response: TransportResponse
        switch result {
        case .failure(.notSent(let detail)):
            return (.retryable, ProviderResponse(outcome: .retryable, code: "not_sent", message: "the request could not be sent: \(detail)"))
        case .failure(.maybeSent(let detail)):
            return (.ambiguous, ProviderResponse(outcome: .ambiguous, code: "no_answer", message: "the request may have been sent but no answer came: \(detail)"))
        case .failure(.tooLarge(let status, let limit)):
            let unread = ProviderResponse(outcome: .retryable, code: "response_too_large", message: "the answer (HTTP \(status)) is longer than \(limit) bytes; none of it was read")
            return Self.isSuccess(status) ? unreadableSuccess(status: status, unread) : (.retryable, unread)
        case .response(let answer):
            response = answer
        }
        var fields: [String: String] = ["http_status": String(response.status)]
        let retryAfter = response.header("Retry-After").flatMap { Self.retryAfter($0, now: clock.date) }
        if !response.body.isEmpty {
            switch readFields(response.body) {
            case .success(let read):
                fields.merge(read) { old, _ in old }
            case .failure(let problem):
                let refused = ProviderResponse(outcome: .retryable, code: "invalid_response", message: problem.reason, retryAfter: retryAfter)
                if Self.isSuccess(response.status) { return unreadableSuccess(status: response.status, refused) }
                // An error answer whose JSON does not parse is still an error: its status decides.
                // XML that does not parse safely is refused whole.
                if definition.response.format == .xml { return (.retryable, refused) }
            }
        }
        return decide(fields, status: response.status, retryAfter: retryAfter)
    }

    /// The first matching rule's decision (or `otherwise`) for the fields read from an answer.
    private func decide(_ fields: [String: String], status: Int, retryAfter: Duration?) -> (ProviderDefinition.Decision, ProviderResponse) {
        let decision =
            definition.classification.rules.first { rule in
                rule.conditions.allSatisfy { $0.matches(fields[$0.field]) }
            }?.decision ?? definition.classification.otherwise
        let outcome: AttemptOutcome =
            switch decision {
            case .accepted: .accepted
            case .permanent: .permanent
            case .ambiguous: .ambiguous
            // A check's decisions never reach a message's outcome; retryable if they did.
            case .retryable, .refreshToken, .approved, .wrong, .expired, .locked: .retryable
            }
        let code = fields["error_code"] ?? fields["status"] ?? "http_\(status)"
        return (
            decision,
            ProviderResponse(
                outcome: outcome, providerMessageID: fields["message_id"], code: code, message: fields["error_message"],
                retryAfter: outcome == .retryable ? retryAfter : nil
            )
        )
    }

    /// A 2xx whose body could not be read (it does not parse, is refused or is over the size
    /// limit). The provider most likely took the message, so handing it to another provider could
    /// send it twice: ambiguous, and the route's `on_ambiguous` decides. A definition that accepts
    /// the status without reading the body (a gateway whose contract is "any 2xx") still accepts it.
    private func unreadableSuccess(status: Int, _ unread: ProviderResponse) -> (ProviderDefinition.Decision, ProviderResponse) {
        let byStatus = decide(["http_status": String(status)], status: status, retryAfter: nil)
        if byStatus.0 == .accepted { return byStatus }
        var ambiguous = unread
        ambiguous.outcome = .ambiguous
        ambiguous.retryAfter = nil
        return (.ambiguous, ambiguous)
    }

    private static func isSuccess(_ status: Int) -> Bool {
        (200...299).contains(status)
    }

    /// The definition's fields from an answer body, or why the body cannot be read.
    private func readFields(_ body: [UInt8]) -> Result<[String: String], RefusedAnswer> {
        let paths = definition.response.fields
        switch definition.response.format {
        case .json:
            let answer: JSONAnswer
            do {
                answer = try JSONReader.parse(body)
            } catch {
                return .failure(RefusedAnswer(reason: "the JSON answer does not parse: \(error)"))
            }
            var fields: [String: String] = [:]
            for (name, path) in paths {
                if let value = answer.value(at: path)?.text { fields[name] = value }
            }
            return .success(fields)
        case .xml:
            do {
                let document = try SafeXMLDocument(parsing: body, limits: XMLLimits(maxBytes: definition.response.maxBytes))
                var fields: [String: String] = [:]
                for (name, path) in paths {
                    if let value = try document.string(at: path, namespaces: definition.response.namespaces), !value.isEmpty {
                        fields[name] = value.trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                }
                return .success(fields)
            } catch {
                return .failure(RefusedAnswer(reason: "the XML answer was refused: \(error)"))
            }
        }
    }

    /// `Retry-After` as seconds or an HTTP date, counted from `now`.
    static func retryAfter(_ text: String, now: Date) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(min(seconds, 86_400)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .seconds(min(Int64(seconds.rounded(.up)), 86_400))
    }

    private static func describe(_ error: RequestBuilder.Failure) -> String {
        switch error {
        case .missing(let name): "the request needs {\(name)}, which has no value"
        case .unsafeHeader(let name): "a value for the \(name) header holds a line break"
        case .badURL(let name): "{\(name)} is not an http(s) address"
        case .tooLong(let field, let limit): "\(field) would be longer than the provider's limit of \(limit) characters"
        }
    }
}

/// An answer body that could not be read: JSON that does not parse, XML that is unsafe or malformed.
struct RefusedAnswer: Error {
    var reason: String
}
