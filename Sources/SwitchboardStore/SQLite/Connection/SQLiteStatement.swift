// `VaporCSQLite` is sqlite-nio's vendored SQLite, with every symbol prefixed `sqlite_nio_`. It is
// not a product of sqlite-nio: it is importable because `SwitchboardStore` depends on the
// `SQLiteNIO` product, which is kept only to carry it. Using this copy, and not the system's
// libsqlite3, keeps one SQLite in the process: two copies on one file would each keep their own
// POSIX lock bookkeeping, and closing a file in one drops the other's locks.
import VaporCSQLite

/// A prepared statement, owned by the ``SQLiteDatabase`` that caches it, reused for every run of
/// the same SQL text.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private unowned let database: SQLiteDatabase
    /// Read once: the names are the same for every run, and rows share this array.
    let columnNames: [String]
    /// How many parameters the statement has (the highest `?N`).
    private let parameterCount: Int32
    /// The bytes of a run's text and blob parameters, one after another. SQLite reads them in
    /// place while the run lasts instead of copying each into memory of its own; the buffer keeps
    /// its capacity from run to run.
    private var boundBytes: [UInt8] = []

    /// Prepares the single statement in `sql`.
    /// - Throws: ``SQLiteError`` when SQLite rejects it, or when `sql` holds more than one statement.
    init(_ sql: String, in database: SQLiteDatabase, connection: OpaquePointer) throws {
        var statement: OpaquePointer?
        var holdsMore = false
        // PERSISTENT: kept for the life of the connection, so SQLite allocates it outside its lookaside pool.
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite_nio_sqlite3_prepare_v3(connection, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            // Whatever follows is a second statement if SQLite can prepare one from it (spaces,
            // semicolons and comments prepare to nothing). Checked here, while `tail` points into `text`.
            if code == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                if sqlite_nio_sqlite3_prepare_v3(connection, tail, -1, 0, &next, nil) != SQLITE_OK || next != nil {
                    sqlite_nio_sqlite3_finalize(next)
                    holdsMore = true
                }
            }
            return code
        }
        guard code == SQLITE_OK else { throw database.error(code) }
        guard let statement else { throw SQLiteError(code: SQLITE_MISUSE, message: "no statement in: \(sql)") }
        if holdsMore {
            sqlite_nio_sqlite3_finalize(statement)
            // sqlite-nio silently ran only the first statement; a second one is a mistake to report.
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement in: \(sql)")
        }
        self.handle = statement
        self.database = database
        let count = sqlite_nio_sqlite3_column_count(statement)
        columnNames = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
        parameterCount = sqlite_nio_sqlite3_bind_parameter_count(statement)
    }

    /// Binds `values` to `?1`, `?2`, … in order and NULL to any parameter after them, runs the
    /// statement to its end, and hands each row to `row`; afterwards the statement is reset,
    /// whatever happened.
    ///
    /// Every parameter is bound on every run rather than the bindings cleared after it:
    /// `sqlite3_clear_bindings` marks a statement whose plan looked at a bound value (a correlated
    /// `EXISTS` with a parameter is enough) as expired, and SQLite then prepares it again on its
    /// next run, every run. The values stay bound until the next run replaces them; texts and
    /// blobs point into ``boundBytes``, which no run reads before binding its own.
    func run(_ values: [SQLiteValue], row: (SQLiteStatement) throws -> Void) throws {
        boundBytes.removeAll(keepingCapacity: true)
        for value in values {
            switch value {
            case .text(var text): text.withUTF8 { boundBytes.append(contentsOf: $0) }
            case .blob(let bytes): boundBytes.append(contentsOf: bytes)
            case .null, .integer, .real: break
            }
        }
        try boundBytes.withUnsafeBufferPointer { bytes in
            defer { sqlite_nio_sqlite3_reset(handle) }
            var offset = 0
            for (index, value) in values.enumerated() {
                try bind(value, at: Int32(index + 1), bytes: bytes, offset: &offset)
            }
            if Int32(values.count) < parameterCount {
                for index in Int32(values.count + 1)...parameterCount {
                    try bind(.null, at: index, bytes: bytes, offset: &offset)
                }
            }
            while true {
                let code = sqlite_nio_sqlite3_step(handle)
                switch code {
                case SQLITE_ROW: try row(self)
                case SQLITE_DONE: return
                default: throw database.error(code)
                }
            }
        }
    }

    /// Binds one value; a text or blob is the next of its length in `bytes`, from `offset`.
    private func bind(_ value: SQLiteValue, at index: Int32, bytes: UnsafeBufferPointer<UInt8>, offset: inout Int) throws {
        let code: Int32
        switch value {
        case .null:
            code = sqlite_nio_sqlite3_bind_null(handle, index)
        case .integer(let integer):
            code = sqlite_nio_sqlite3_bind_int64(handle, index, Int64(integer))
        case .real(let real):
            code = sqlite_nio_sqlite3_bind_double(handle, index, real)
        case .text(let text) where text.isEmpty:
            // A NULL pointer would bind NULL, so an empty text gets a pointer to nothing.
            code = sqlite_nio_sqlite3_bind_text64(handle, index, "", 0, Self.transient, UInt8(SQLITE_UTF8))
        case .text(let text):
            // With an explicit length, so NUL characters are kept.
            let count = text.utf8.count
            let start = UnsafeRawPointer(bytes.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
            offset += count
            code = sqlite_nio_sqlite3_bind_text64(handle, index, start, UInt64(count), Self.inPlace, UInt8(SQLITE_UTF8))
        case .blob(let blob) where blob.isEmpty:
            code = sqlite_nio_sqlite3_bind_zeroblob(handle, index, 0)
        case .blob(let blob):
            code = sqlite_nio_sqlite3_bind_blob64(handle, index, bytes.baseAddress! + offset, UInt64(blob.count), Self.inPlace)
            offset += blob.count
        }
        guard code == SQLITE_OK else { throw database.error(code) }
    }

    /// How many times SQLite has prepared the statement again since it was first prepared.
    var timesPreparedAgain: Int {
        Int(sqlite_nio_sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_REPREPARE, 0))
    }

    /// The value in column `index` of the current row.
    func value(at index: Int32) -> SQLiteValue {
        switch sqlite_nio_sqlite3_column_type(handle, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(handle, index)))
        case SQLITE_FLOAT:
            return .real(sqlite_nio_sqlite3_column_double(handle, index))
        case SQLITE_BLOB:
            // Length after the pointer: asking for the bytes may convert the value first.
            guard let pointer = sqlite_nio_sqlite3_column_blob(handle, index) else { return .blob([]) }
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, index))
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default:
            // By length, not as a C string, which would cut the text at its first NUL. Read as a
            // blob: the same UTF-8 bytes (the database's encoding), without SQLite first copying
            // a text stored without a terminating NUL to give it one.
            guard let pointer = sqlite_nio_sqlite3_column_blob(handle, index) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self))
        }
    }

    /// The current row, every column.
    func row() -> SQLiteRow {
        SQLiteRow(columnNames: columnNames, values: (0..<Int32(columnNames.count)).map(value(at:)))
    }

    func finalize() {
        sqlite_nio_sqlite3_finalize(handle)
    }

    /// `SQLITE_TRANSIENT`, which Swift does not import: SQLite copies the bound bytes at once.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
    /// `SQLITE_STATIC`: SQLite reads the bound bytes where they are, which must outlive the run.
    private static var inPlace: sqlite3_destructor_type? { nil }
}
