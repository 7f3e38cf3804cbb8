/// `apps.ID.otp.per_address:` — codes one client address may ask for in an hour, over all numbers
/// and users.
///
/// The OTP API is called by the app's backend, so the connection's address is the backend's. An
/// app whose backend passes its end user's address names the header it uses in `header`; only that
/// header is then read (never `X-Forwarded-For` by default, which any caller can write).
package struct PerAddressLimit: Sendable, Hashable {
    package var maxSendsPerHour: Int
    /// The trusted header holding the client address; `nil`: the connection's address.
    package var header: String?

    package init(maxSendsPerHour: Int, header: String? = nil) {
        self.maxSendsPerHour = maxSendsPerHour
        self.header = header
    }
}
