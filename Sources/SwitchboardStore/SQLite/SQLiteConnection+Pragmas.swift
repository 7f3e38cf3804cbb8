import Logging
import SQLiteNIO

extension SQLiteConnection {
    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    static let busyTimeoutMilliseconds = 5_000

    /// Sets the per-connection pragmas the store relies on.
    /// - Parameters:
    ///   - writable: `false` for the read connection, which is then made `query_only`.
    ///   - inMemory: The database lives in memory, where there is no write-ahead log to ask for.
    ///   - logger: Told when the file cannot use a write-ahead log.
    func applyStorePragmas(writable: Bool, inMemory: Bool, logger: Logger) async throws {
        // First, because sqlite-nio installs a busy handler that retries at once and forever; a
        // timeout replaces it with SQLite's own, which sleeps between tries and gives up.
        _ = try await query("PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)")
        if writable, !inMemory {
            // WAL lets other connections, such as `switchboard inbox --follow` in another process,
            // read while the daemon writes. The mode is stored in the file, so readers inherit it.
            let mode = try await query("PRAGMA journal_mode = WAL").first?.column("journal_mode")?.string
            if mode != "wal" {
                logger.info(
                    "SQLite cannot use a write-ahead log here; readers will wait for writers",
                    metadata: ["sb.store.journal_mode": "\(mode ?? "unknown")"]
                )
            }
        }
        if !writable {
            _ = try await query("PRAGMA query_only = ON")
        }
        // FULL, not NORMAL. In WAL mode NORMAL syncs the log only at checkpoints: a commit then
        // survives a crash of the process, but not a power cut or a kernel panic. `MessageStore`
        // promises that a save is durable when it returns, so every commit waits for the disk, and
        // group commit (`SQLiteWriter`) pays that wait once per batch instead of once per message.
        _ = try await query("PRAGMA synchronous = FULL")
        _ = try await query("PRAGMA foreign_keys = ON")
    }
}
