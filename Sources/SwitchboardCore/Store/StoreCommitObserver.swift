/// Hears of each write transaction a store commits: where store metrics are taken, so that the
/// stores themselves stay free of them.
package protocol StoreCommitObserver: Sendable {
    /// - Parameters:
    ///   - writes: How many writes the transaction carried (group commit puts several in one).
    ///   - duration: From its `BEGIN` to its `COMMIT` returning, the wait for the disk included.
    func committed(writes: Int, duration: Duration)
}
