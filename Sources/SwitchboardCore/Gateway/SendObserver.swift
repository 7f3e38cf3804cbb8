/// Hears of every send that reached the providers, once its record is saved: where metrics are
/// taken, so that the gateway itself stays free of them.
package protocol SendObserver: Sendable {
    /// - Parameters:
    ///   - record: The message as the log now holds it, attempts included.
    ///   - elapsed: From the send's start to its record being saved.
    func sendFinished(_ record: MessageRecord, elapsed: Duration)
}
