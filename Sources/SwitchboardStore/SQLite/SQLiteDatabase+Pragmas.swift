import Logging
import SwitchboardCore

extension SQLiteDatabase {
    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    static let busyTimeoutMilliseconds = 5_000

    /// Sets the per-connection pragmas the store relies on.
    /// - Parameters:
    ///   - writable: `false` for the read connection, which is then made `query_only`.
    ///   - inMemory: The database lives in memory, where there is no write-ahead log to ask for.
    ///   - durability: What a commit must survive.
    ///   - logger: Told when the file cannot use a write-ahead log.
    func applyStorePragmas(writable: Bool, inMemory: Bool, durability: SQLiteSettings.Durability, logger: Logger) throws {
        // First, so that even the pragmas below wait for a lock instead of failing at once.
        try execute("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)")
        if writable, !inMemory {
            // Before the journal mode, which writes the file's first page: after that, and after the
            // first table, the mode is fixed. A new file so lets retention give freed pages back to
            // the file system (`PRAGMA incremental_vacuum`); on a file created by an earlier build
            // this changes nothing: it reuses freed pages for new rows (it stops growing but does not
            // shrink) until an operator converts it once with `VACUUM` (README, "Retention").
            try execute("PRAGMA auto_vacuum = INCREMENTAL")
            // WAL lets other connections, such as `switchboard inbox --follow` in another process,
            // read while the daemon writes. The mode is stored in the file, so readers inherit it.
            let mode = try first("PRAGMA journal_mode = WAL")?.column("journal_mode")?.textValue
            if mode != "wal" {
                logger.info(
                    "SQLite cannot use a write-ahead log here; readers will wait for writers",
                    metadata: ["sb.store.journal_mode": "\(mode ?? "unknown")"]
                )
            }
        }
        if writable {
            // A batch's statements each change many rows, so SQLite keeps a statement journal for
            // each; past a small size it spills to a temporary file, created and written anew for
            // every batch. In memory, it lives only as long as its statement.
            try execute("PRAGMA temp_store = MEMORY")
        } else {
            try execute("PRAGMA query_only = ON")
        }
        // FULL by default. In WAL mode NORMAL syncs the log only at checkpoints: a commit then
        // survives a crash of the process, but not a power cut or a kernel panic. `MessageStore`
        // promises that a save is durable when it returns, so by default every commit waits for the
        // disk, and group commit (`SQLiteWriter`) pays that wait once per batch instead of once per
        // message; `process_crash` is the operator's documented choice of the weaker promise.
        switch durability {
        case .powerLoss: try execute("PRAGMA synchronous = FULL")
        case .processCrash: try execute("PRAGMA synchronous = NORMAL")
        }
        try execute("PRAGMA foreign_keys = ON")
    }
}
