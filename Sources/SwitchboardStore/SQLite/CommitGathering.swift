/// When a batch about to start should first wait a moment for more jobs (`SQLiteWriter`).
///
/// Group commit alone starts a batch as soon as the writer is free. Under a full load jobs pile up
/// while a commit runs, so batches are large. Under a steady moderate load a batch often holds one
/// or two writes: each commit then costs a whole `fsync`, and a write-ahead-log frame for every page
/// it touched, for those few writes. Waiting a fraction of a commit for more jobs makes those
/// batches larger and the writer's CPU per write smaller.
///
/// It waits only while the writer is busy, judged by how recently its last commit ended: a daemon
/// that commits once in a while answers at once. A wait ends as soon as enough jobs have come.
package struct CommitGathering: Sendable {
    /// Enough jobs for a batch not to wait.
    package var target: Int
    /// The longest a batch waits.
    package var window: Duration
    /// A batch waits only when the last commit ended at most this long before it.
    package var busyWithin: Duration

    package init(target: Int, window: Duration, busyWithin: Duration) {
        self.target = target
        self.window = window
        self.busyWithin = busyWithin
    }

    /// The daemon's: a wait a little shorter than one commit of a few writes takes with its `fsync`.
    package static let `default` = CommitGathering(target: 8, window: .microseconds(300), busyWithin: .milliseconds(1))

    /// Never waits.
    package static let off = CommitGathering(target: 0, window: .zero, busyWithin: .zero)

    /// How long a batch should wait for more jobs before it starts, or `nil` to start at once.
    /// - Parameters:
    ///   - queued: Jobs that would be in the batch now.
    ///   - sinceLastCommit: How long ago the writer's last commit ended; `nil` before the first.
    package func wait(queued: Int, sinceLastCommit: Duration?) -> Duration? {
        guard target > queued, window > .zero, let sinceLastCommit, sinceLastCommit <= busyWithin else { return nil }
        return window
    }
}
