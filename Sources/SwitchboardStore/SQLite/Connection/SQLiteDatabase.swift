import VaporCSQLite

/// One SQLite connection, called synchronously, with its prepared statements cached by SQL text.
///
/// Not `Sendable`: a connection is opened with `SQLITE_OPEN_NOMUTEX`, so it must be used by one
/// thread at a time. The store keeps each one inside an actor that runs on a thread of its own
/// (``SQLiteWriter``, ``SQLiteReader``).
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    private var statements: [String: CachedStatement] = [:]
    private var uses = 0
    /// How many statements this connection prepared for its cache, for tests.
    private(set) var statementsPrepared = 0

    private struct CachedStatement {
        let statement: SQLiteStatement
        var lastUse: Int
    }

    /// Enough for every fixed statement of the store (about forty) and the multi-row statements
    /// of the usual batch sizes, while bounding memory: a 64-row upsert is a large program. Past
    /// it the statement used longest ago is finalized.
    static let statementCacheCapacity = 128

    /// Opens (creating if needed) the database at `path`, or a private one for `:memory:`.
    /// - Throws: ``SQLiteError`` when SQLite cannot open it.
    init(path: String) throws {
        var handle: OpaquePointer?
        // URI as sqlite-nio had it, so a `file:` path with options keeps working.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            // SQLite allocates a handle even when opening fails, to carry the message.
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? String(cString: sqlite_nio_sqlite3_errstr(code))
            sqlite_nio_sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: message)
        }
        self.handle = handle
    }

    deinit {
        // A store that was never closed; nothing else can be using the connection any more.
        try? close()
    }

    /// Runs one statement to its end and discards any rows.
    func execute(_ sql: String, _ values: [SQLiteValue] = []) throws {
        try statement(sql).run(values) { _ in }
    }

    /// Runs one statement and returns its rows.
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        try statement(sql).run(values) { rows.append($0.row()) }
        return rows
    }

    /// The first row of one statement, or `nil` when it returns none; the statement still runs to its end.
    func first(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteRow? {
        var first: SQLiteRow?
        try statement(sql).run(values) { if first == nil { first = $0.row() } }
        return first
    }

    /// Rows changed by the latest `INSERT`, `UPDATE` or `DELETE`.
    var changes: Int {
        guard let handle else { return 0 }
        return Int(sqlite_nio_sqlite3_changes64(handle))
    }

    /// The rowid of the latest successful `INSERT`.
    var lastInsertRowID: Int64 {
        guard let handle else { return 0 }
        return sqlite_nio_sqlite3_last_insert_rowid(handle)
    }

    /// How many prepared statements are cached, for tests.
    var cachedStatementCount: Int { statements.count }

    /// How many times SQLite prepared the cached statement for `sql` again, for tests; `nil` when
    /// none is cached.
    func timesPreparedAgain(_ sql: String) -> Int? { statements[sql]?.statement.timesPreparedAgain }

    /// Finalizes the cached statements and closes the connection. Closing twice is harmless.
    /// - Throws: ``SQLiteError`` when SQLite cannot close it (the handle is released all the same).
    func close() throws {
        guard let handle else { return }
        for cached in statements.values { cached.statement.finalize() }
        statements.removeAll()
        self.handle = nil
        // The strict close, which refuses while a statement is left unfinalized, so a leak shows
        // up as an error; the handle is then released by `close_v2` once nothing uses it.
        let code = sqlite_nio_sqlite3_close(handle)
        guard code == SQLITE_OK else {
            let error = SQLiteError(code: code, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
            sqlite_nio_sqlite3_close_v2(handle)
            throw error
        }
    }

    /// The cached statement for `sql`, prepared on first use.
    private func statement(_ sql: String) throws -> SQLiteStatement {
        uses += 1
        // A look-up hashes the whole text: a statement already prepared takes one, not a second
        // to stamp its use.
        if let index = statements.index(forKey: sql) {
            statements.values[index].lastUse = uses
            return statements.values[index].statement
        }
        let statement = try SQLiteStatement(sql, in: self, connection: try open())
        statementsPrepared += 1
        if statements.count >= Self.statementCacheCapacity,
            let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            oldest.value.statement.finalize()
            statements[oldest.key] = nil
        }
        statements[sql] = CachedStatement(statement: statement, lastUse: uses)
        return statement
    }

    private func open() throws -> OpaquePointer {
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "the connection is closed") }
        return handle
    }

    /// The error SQLite reports for the `code` a call just returned.
    func error(_ code: Int32) -> SQLiteError {
        guard let handle else { return SQLiteError(code: code, message: String(cString: sqlite_nio_sqlite3_errstr(code))) }
        return SQLiteError(code: sqlite_nio_sqlite3_extended_errcode(handle), message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }
}
