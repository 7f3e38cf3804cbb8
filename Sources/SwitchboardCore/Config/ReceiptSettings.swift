/// `providers.NAME.receipts:` — delivery receipts for one provider instance: where the provider
/// reaches us, and the token its callback URL carries.
package struct ReceiptSettings: Sendable, Hashable {
    /// `public_url`: this daemon's address as the provider sees it (behind a proxy, the proxy's),
    /// without a trailing `/`. A Twilio signature is over the URL the provider called.
    package var publicURL: String
    /// `token`: a secret put in the callback URL's query; every receipt must carry it.
    package var token: String?

    package init(publicURL: String, token: String? = nil) {
        self.publicURL = publicURL
        self.token = token
    }

    /// The path of the receipt endpoint for a provider instance.
    package static func path(provider: String) -> String {
        "/v1/receipts/\(provider)"
    }

    /// The URL our sends give the provider for receipts about messages sent through `provider`.
    package func callbackURL(provider: String) -> String {
        publicURL + Self.path(provider: provider) + (token.map { "?\(Self.tokenParameter)=\($0)" } ?? "")
    }

    /// The query parameter that carries the token.
    package static let tokenParameter = "token"
    /// The token's least length: it is the only credential of a receipt in token mode.
    package static let minimumTokenLength = 16
}
