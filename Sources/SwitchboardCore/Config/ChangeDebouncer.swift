/// Decides when a watched set of files has settled after a change, so that an editor's burst of
/// writes (or a deploy copying several files) causes one reload, not one per write.
///
/// Pure: the caller polls the files and passes what it saw and when.
package struct ChangeDebouncer<Snapshot: Equatable & Sendable>: Sendable {
    /// How long the files must stay as they are before a reload.
    package let quietPeriod: Duration
    /// What the last reload (or the start) read.
    private var applied: Snapshot
    /// What the last poll saw, and since when.
    private var latest: (snapshot: Snapshot, since: ContinuousClock.Instant)?

    package init(initial: Snapshot, quietPeriod: Duration) {
        self.applied = initial
        self.quietPeriod = quietPeriod
    }

    /// Takes one poll's view of the files.
    /// - Returns: Whether to reload now: the files differ from what was applied and have not
    ///   changed for `quietPeriod`. The reload is then taken as done.
    package mutating func observe(_ snapshot: Snapshot, at now: ContinuousClock.Instant) -> Bool {
        if latest?.snapshot != snapshot {
            latest = (snapshot, now)
        }
        guard let latest, latest.snapshot != applied, now - latest.since >= quietPeriod else { return false }
        applied = latest.snapshot
        return true
    }
}
