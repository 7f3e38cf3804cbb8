import NIOCore
import NIOPosix

/// `server.threads`: how many threads the daemon keeps busy.
enum DaemonThreads {
    /// Unset, the event loops (one per core) serve connections and call providers and the
    /// database, and Swift's own pool (one thread per core as well) runs the tasks, each request
    /// hopping between the two: the fastest for one daemon alone on a machine. Set, that many event
    /// loops do both, so that several daemons sharing a machine each keep only their share of its
    /// cores busy, not twice as many threads as it has cores taking turns. SQLite's writer and
    /// reader threads come on top either way.
    ///
    /// Called once, before anything uses the event loops.
    /// - Returns: `false` when Swift's executor could not be replaced; tasks then run on its pool.
    static func start(threads: Int?) -> Bool {
        guard let threads else { return true }
        NIOSingletons.groupLoopCountSuggestion = threads
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
