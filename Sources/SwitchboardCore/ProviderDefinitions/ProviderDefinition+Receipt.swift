extension ProviderDefinition {
    /// How the provider calls us back with delivery receipts (`receipt:` in a definition): the
    /// shapes it sends, how the call proves it comes from the provider, where the message id, status
    /// and error code are, and what its statuses mean to us.
    package struct Receipt: Sendable {
        /// The shapes the provider calls with, each with its method.
        package var accepts: [ReceiptShape]
        package var auth: ReceiptAuth
        /// Parameter (or top-level JSON member) names.
        package var messageIDField: String
        package var statusField: String
        package var errorCodeField: String?
        /// Provider status → ours (`sent`, `delivered`, `undelivered`, `failed`). A status not
        /// listed is recorded with the message but moves nothing.
        package var statuses: [String: MessageStatus]
    }

    /// How a receipt comes: `form` (POST `application/x-www-form-urlencoded`), `json` (POST
    /// `application/json`) or `query` (GET, parameters in the query string).
    package enum ReceiptShape: String, Sendable, Hashable, CaseIterable {
        case form
        case json
        case query
    }

    /// How a receipt proves it comes from the provider. Besides these, an instance that gives
    /// `receipts.token` puts the token in its callback URL, and every receipt must carry it.
    package enum ReceiptAuth: Sendable {
        /// Only the callback URL's token.
        case token
        /// `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with `key`, over the callback URL and the
        /// POST parameters sorted by name, each name followed by its value.
        case twilioSignature(key: ProviderTemplate)
        /// Vonage signed webhooks: a JWT signed HS256 with `secret` in `Authorization: Bearer`,
        /// whose `payload_hash` is the SHA-256 of the body. When the instance leaves the secret's
        /// setting empty, only the callback URL's token authenticates.
        case vonageSignature(secret: ProviderTemplate)

        /// The template of the signing key, if this kind of auth has one.
        package var key: ProviderTemplate? {
            switch self {
            case .token: nil
            case .twilioSignature(let key): key
            case .vonageSignature(let secret): secret
            }
        }
    }
}
