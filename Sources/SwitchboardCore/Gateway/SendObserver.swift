/// Hears of every send that reached the providers, once its record is saved: where metrics are
/// taken, so that the gateway itself stays free of them.
package protocol SendObserver: Sendable {
    /// - Parameters:
    ///   - record: The message as the log now holds it, attempts included.
    ///   - elapsed: From the send's start to its record being saved.
    func sendFinished(_ record: MessageRecord, elapsed: Duration)
    /// A provider asked its OAuth2 token endpoint for a token (one request however many sends waited).
    /// - Parameters:
    ///   - provider: The provider's configured name.
    ///   - failure: `nil` when a token came back, else why not (a ``TokenFailure`` code such as `token_refused`).
    func tokenRequested(provider: String, failure: String?)
}

extension SendObserver {
    package func tokenRequested(provider: String, failure: String?) {}
}
