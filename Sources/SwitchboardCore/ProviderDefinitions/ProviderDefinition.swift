/// One provider type, read from a file in `providers/`: how to authenticate, how to build the
/// request, where the answer's fields are, and what each answer means.
///
/// Pure data: `SwitchboardProviders` turns it into requests. The schema is documented in
/// `providers/README.md`.
package struct ProviderDefinition: Sendable {
    /// The type name, which is the file name without `.yaml` (`twilio`, `sfmc-soap`).
    package var type: String
    /// What instances of this type do with an OTP: deliver our text, or send and check their own code.
    package var kind: Kind = .delivery
    /// The definition file, for messages.
    package var file: String
    package var summary: String
    /// The settings a provider instance of this type gives in `config.yaml`, in file order.
    package var settings: [Setting]
    /// `{base_url}`, unless the instance overrides it with `base_url:`.
    package var baseURL: ProviderTemplate?
    package var auth: Auth
    package var request: Request
    package var response: Response
    package var classification: Classification
    /// The `prepare` and `check` exchanges of a verify definition; its `start` is `request`,
    /// `response` and `classification` above, so that it sends as any definition does.
    package var verify: VerifySteps?
    /// How the provider calls back with delivery receipts; `nil` when it declares none.
    package var receipt: Receipt? = nil

    package func setting(_ name: String) -> Setting? {
        settings.first { $0.name == name }
    }

    /// One setting of a provider instance (`account_sid`, `client_secret`).
    package struct Setting: Sendable, Hashable {
        package var name: String
        package var required: Bool
        /// Never printed: credentials.
        package var secret: Bool
        package var defaultValue: String?
    }

    /// How requests prove who sends them.
    package enum Auth: Sendable {
        case none
        /// `Authorization: Basic base64(username:password)`.
        case basic(username: ProviderTemplate, password: ProviderTemplate)
        /// `Authorization: Bearer TOKEN`.
        case bearer(token: ProviderTemplate)
        /// A key in a header, such as `X-API-Key`.
        case header(name: String, value: ProviderTemplate)
        /// A key in the query string, such as `?api_key=`.
        case query(name: String, value: ProviderTemplate)
        /// OAuth2 client credentials, with a cached token.
        case oauth2(OAuth2)
    }

    /// An OAuth2 client-credentials token request. The token answer's fields become `{token.NAME}`.
    package struct OAuth2: Sendable {
        package var tokenURL: ProviderTemplate
        package var encoding: BodyEncoding
        /// `grant_type=client_credentials`, `client_id`, `client_secret` and any extra fields.
        package var fields: [Field]
        /// A token is replaced this long before it expires.
        package var refreshBefore: Duration
        /// Used when the answer has no `expires_in`.
        package var defaultLifetime: Duration
        /// Adds `Authorization: Bearer TOKEN` to the request; false when the request carries the
        /// token itself (a SOAP header, `{token.access_token}`).
        package var sendsBearer: Bool
    }

    /// How a token request body is encoded.
    package enum BodyEncoding: String, Sendable {
        case json
        case form
    }

    /// The message request.
    package struct Request: Sendable {
        package var method: String
        /// The first placeholder, when the URL starts with one (`{base_url}`), is a URL prefix and goes
        /// in as it is; every other placeholder is percent-encoded for its part of the URL.
        package var url: ProviderTemplate
        package var headers: [Header]
        package var body: Body
    }

    package struct Header: Sendable {
        package var name: String
        package var value: ProviderTemplate
    }

    /// A named value that is sent only when its condition holds, or only when all its placeholders
    /// have values (`optional`).
    package struct Field: Sendable {
        package var name: String
        package var value: JSONValue
        package var optional: Bool
        package var condition: ProviderCondition?
        /// `$max_length`: a longer value makes the request unbuildable, so the attempt fails before
        /// anything is sent and the next provider takes the message.
        package var maxLength: Int? = nil
    }

    /// The request body.
    package enum Body: Sendable {
        case none
        /// `application/x-www-form-urlencoded`.
        case form([Field])
        /// `application/json`.
        case json(JSONValue)
        /// A SOAP envelope (or any XML) from a template file; placeholders are escaped as XML text.
        case xml(template: ProviderTemplate, file: String, contentType: String)
    }

    /// A JSON body (or a form value) as written in YAML.
    package indirect enum JSONValue: Sendable {
        case object([Field])
        case array([JSONValue])
        case string(ProviderTemplate)
        /// A number as written (`1`, `2.5`).
        case number(String)
        case bool(Bool)
        case null
    }

    /// Where the answer's fields are.
    package struct Response: Sendable {
        package var format: ResponseFormat
        /// Longer answers are refused without being parsed.
        package var maxBytes: Int
        /// XPath prefixes.
        package var namespaces: [String: String]
        /// Field name → JSON pointer or XPath. `message_id`, `error_code` and `error_message` feed
        /// the provider response; every field can be tested by classification rules.
        package var fields: [(name: String, path: String)]
    }

    package enum ResponseFormat: String, Sendable {
        case json
        case xml
    }

    /// What each answer means. The first rule that matches decides; `otherwise` covers the rest.
    package struct Classification: Sendable {
        package var rules: [Rule]
        package var otherwise: Decision
    }

    package struct Rule: Sendable {
        /// Every condition must hold.
        package var conditions: [Condition]
        package var decision: Decision
        /// The rule's place in the file, for logs.
        package var line: Int
    }

    /// `http_status` or a response field, and the values that match it.
    package struct Condition: Sendable {
        package var field: String
        package var matchers: [Matcher]

        package func matches(_ value: String?) -> Bool {
            matchers.contains { $0.matches(value) }
        }
    }

    package enum Matcher: Sendable, Hashable {
        /// The value as written.
        case exact(String)
        /// A whole number in a range, `33000-33006`.
        case range(ClosedRange<Int>)
        /// An HTTP status class, `5xx`.
        case statusClass(Int)
        /// `"*"`: any non-empty value.
        case present
        /// `"-"`: no value.
        case absent

        package func matches(_ value: String?) -> Bool {
            switch self {
            case .present: return value.map { !$0.isEmpty } ?? false
            case .absent: return value.map(\.isEmpty) ?? true
            case .exact(let expected): return value == expected
            case .range(let range):
                guard let value, let number = Int(value) else { return false }
                return range.contains(number)
            case .statusClass(let hundreds):
                guard let value, let number = Int(value) else { return false }
                return number / 100 == hundreds
            }
        }
    }

    package enum Decision: String, Sendable, Hashable, CaseIterable {
        case accepted
        case retryable
        case permanent
        case ambiguous
        /// Get a new token and send again, once; if the answer repeats, retryable.
        case refreshToken = "refresh_token"
        /// A verify definition's `check`: the code is right.
        case approved
        /// A verify definition's `check`: the code is wrong.
        case wrong
        /// A verify definition's `check`: the code has expired, or the service no longer has it.
        case expired
        /// A verify definition's `check`: the service locked the code after too many wrong answers.
        case locked

        /// What a message request's answer may mean (`request`, `start`, `prepare`).
        package static let delivery: [Decision] = [.accepted, .retryable, .permanent, .ambiguous, .refreshToken]
        /// What a `check` answer may mean.
        package static let check: [Decision] = [.approved, .wrong, .expired, .locked, .retryable, .refreshToken]
    }

    /// `delivery` (the default): the provider delivers the text we render, with our code.
    /// `verify`: the provider sends its own code and later checks it (Mosaic, Twilio Verify).
    package enum Kind: String, Sendable, Hashable {
        case delivery
        case verify
    }

    /// One request, where its answer's fields are, and what the answer means.
    package struct Exchange: Sendable {
        package var request: Request
        package var response: Response
        package var classification: Classification
    }

    /// The exchanges a verify definition has besides `start`.
    package struct VerifySteps: Sendable {
        /// Sent before every `start` (Mosaic: create the user); `accepted` goes on to `start`.
        package var prepare: Exchange?
        /// Number and code → approved, wrong, expired, locked or retryable.
        package var check: Exchange
    }

    /// This definition with another exchange in place of its message request: what a verify
    /// provider sends for `prepare` and `check`, with the same auth and settings.
    package func replacing(with exchange: Exchange) -> ProviderDefinition {
        var copy = self
        copy.request = exchange.request
        copy.response = exchange.response
        copy.classification = exchange.classification
        return copy
    }
}

extension ProviderDefinition {
    /// True when some template uses `{base_url}`.
    package var usesBaseURL: Bool {
        let requests = [request] + [verify?.prepare?.request, verify?.check.request].compactMap { $0 }
        var templates: [ProviderTemplate] = requests.flatMap { [$0.url] + $0.headers.map(\.value) }
        if case .oauth2(let oauth) = auth { templates.append(oauth.tokenURL) }
        for request in requests {
            if case .xml(let template, _, _) = request.body { templates.append(template) }
        }
        return templates.contains { $0.variables.contains("base_url") }
    }
}
