import Foundation
import Synchronization
import Testing

@testable import SwitchboardStore

/// The thin SQLite wrapper the store runs on: statements, values, errors, closing, threads.
@Suite("SQLite connection wrapper", .timeLimit(.minutes(3)))
struct SQLiteDatabaseTests {
    @Test func aStatementIsPreparedOnceAndReused() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (n INTEGER)")
        for n in 0..<10 {
            try database.execute("INSERT INTO t (n) VALUES (?1)", [.integer(n)])
        }
        #expect(database.cachedStatementCount == 2)
        #expect(try database.query("SELECT count(*) AS c FROM t").first?.column("c") == .integer(10))
        #expect(try database.query("SELECT count(*) AS c FROM t").first?.column("c") == .integer(10))
        #expect(database.cachedStatementCount == 3)
        // Reset after use: a statement whose first run stopped early still starts from its first row.
        #expect(try database.first("SELECT n FROM t ORDER BY n")?.column("n") == .integer(0))
        #expect(try database.first("SELECT n FROM t ORDER BY n")?.column("n") == .integer(0))
        // A missing value binds NULL, not the last run's value.
        try database.execute("CREATE TABLE pairs (a, b)")
        try database.execute("INSERT INTO pairs (a, b) VALUES (?1, ?2)", [.integer(1), .integer(2)])
        try database.execute("INSERT INTO pairs (a, b) VALUES (?1, ?2)", [.integer(3)])
        #expect(try database.query("SELECT b FROM pairs ORDER BY a").map(\.values) == [[.integer(2)], [.null]])
    }

    /// SQLite marks a statement whose plan looked at a bound value, and clearing its bindings then
    /// made it prepare the statement again on every run: the login's user lookup did.
    @Test func aStatementWithACorrelatedSubqueryIsNotPreparedAgainOnEachRun() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE users (id TEXT PRIMARY KEY, owner TEXT)")
        try database.execute("CREATE TABLE members (app TEXT, user_id TEXT, PRIMARY KEY (app, user_id)) WITHOUT ROWID")
        for n in 0..<3 {
            try database.execute("INSERT INTO users (id, owner) VALUES (?1, 'a')", [.text("u\(n)")])
            try database.execute("INSERT INTO members (app, user_id) VALUES ('a', ?1)", [.text("u\(n)")])
        }
        let lookup = "SELECT id FROM users WHERE id = ?1 AND EXISTS (SELECT 1 FROM members WHERE app = ?2 AND user_id = users.id)"
        for n in 0..<5 {
            #expect(try database.first(lookup, [.text("u\(n % 3)"), .text("a")])?.column("id") == .text("u\(n % 3)"))
        }
        #expect(try database.first(lookup, [.text("u1"), .text("b")]) == nil)
        #expect(database.timesPreparedAgain(lookup) == 0)
    }

    @Test func theCacheIsBoundedAndKeepsWorkingPastIt() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let count = SQLiteDatabase.statementCacheCapacity + 10
        for n in 0..<count {
            #expect(try database.first("SELECT \(n) AS n")?.column("n") == .integer(n))
        }
        #expect(database.cachedStatementCount == SQLiteDatabase.statementCacheCapacity)
        #expect(try database.first("SELECT 0 AS n")?.column("n") == .integer(0))
        try database.close()
    }

    /// A full cache drops the statement used longest ago: one run again and again stays prepared.
    @Test func theCacheDropsTheLeastRecentlyUsedStatement() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let kept = "SELECT 'kept' AS n"
        let count = SQLiteDatabase.statementCacheCapacity + 10
        for n in 0..<count {
            #expect(try database.first("SELECT \(n) AS n")?.column("n") == .integer(n))
            #expect(try database.first(kept)?.column("n") == .text("kept"))
        }
        #expect(database.statementsPrepared == count + 1)
        #expect(database.timesPreparedAgain(kept) != nil)
        #expect(database.timesPreparedAgain("SELECT 0 AS n") == nil)
        try database.close()
    }

    /// Texts and blobs are bound in place from one buffer per statement, reused from run to run:
    /// each parameter reads its own bytes, and a shorter run after a longer one nothing of it.
    @Test func theTextsAndBlobsOfOneRunAreEachTheirOwn() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE m (a, b, c, d, e)")
        let runs: [[SQLiteValue]] = [
            [.text(String(repeating: "x", count: 10_000)), .blob([1, 2, 3]), .text("é\u{0}🙂"), .integer(7), .text("")],
            [.text("short"), .blob([9]), .null, .text("日本"), .blob([])],
            [.text("a"), .text("b"), .text("c"), .text("d"), .text("e")],
        ]
        for run in runs {
            try database.execute("INSERT INTO m (a, b, c, d, e) VALUES (?1, ?2, ?3, ?4, ?5)", run)
        }
        #expect(try database.query("SELECT a, b, c, d, e FROM m ORDER BY rowid").map(\.values) == runs)
        let compared = try database.first("SELECT ?1 = ?2 AS same, ?1 = ?3 AS other, ?4 AS last", [.text("abc"), .text("abc"), .text("abd"), .blob([5])])
        #expect(compared?.values == [.integer(1), .integer(0), .blob([5])])
    }

    @Test func everyKindOfValueRoundTrips() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        // No declared type, so SQLite keeps each value's own storage class.
        try database.execute("CREATE TABLE v (i INTEGER PRIMARY KEY, v)")
        let values: [SQLiteValue] = [
            .null, .integer(0), .integer(.max), .integer(.min), .real(-1.5), .real(.greatestFiniteMagnitude),
            .text(""), .text("plain"), .text("before\u{0}after"), .text("é 日本 🙂"), .text("\u{0}"),
            .blob([]), .blob([0, 1, 2, 255]), .blob([0]),
        ]
        for (index, value) in values.enumerated() {
            try database.execute("INSERT INTO v (i, v) VALUES (?1, ?2)", [.integer(index), value])
        }
        let read = try database.query("SELECT v, typeof(v) AS type FROM v ORDER BY i")
        #expect(read.map { $0.column("v") } == values)
        // Empty text and blobs are stored as such, not as NULL.
        #expect(read.map { $0.column("type")?.textValue } == values.map { value -> String? in
            switch value {
            case .null: "null"
            case .integer: "integer"
            case .real: "real"
            case .text: "text"
            case .blob: "blob"
            }
        })
        // The NUL is stored, not just read back: SQLite counts all 12 bytes of "before\0after".
        #expect(try database.first("SELECT length(CAST(v AS BLOB)) AS n FROM v WHERE i = 8")?.column("n") == .integer(12))
    }

    @Test func rowsAreFoundByColumnNameOrPosition() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let row = try #require(try database.first("SELECT 1 AS one, 'two' AS two"))
        #expect(row.columnNames == ["one", "two"])
        #expect(row.column("two") == .text("two"))
        #expect(row.values[0] == .integer(1))
        #expect(row.column("three") == nil)
        #expect(try database.first("SELECT 1 WHERE 0") == nil)
    }

    @Test func errorsCarrySQLitesCodeAndMessage() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let syntax = try #require(throws: SQLiteError.self) { try database.execute("SELEKT 1") }
        #expect(syntax.primaryCode == 1)  // SQLITE_ERROR
        #expect(syntax.message.contains("syntax error"))

        try database.execute("CREATE TABLE u (name TEXT UNIQUE)")
        try database.execute("INSERT INTO u (name) VALUES (?1)", [.text("a")])
        let unique = try #require(throws: SQLiteError.self) {
            try database.execute("INSERT INTO u (name) VALUES (?1)", [.text("a")])
        }
        #expect(unique.primaryCode == 19)  // SQLITE_CONSTRAINT
        #expect(unique.code == 2067)  // SQLITE_CONSTRAINT_UNIQUE: extended codes are on
        #expect(unique.message == "UNIQUE constraint failed: u.name")
        #expect("\(unique)".contains("UNIQUE constraint failed"))
        // The failed statement was reset: it runs again.
        try database.execute("INSERT INTO u (name) VALUES (?1)", [.text("b")])
        #expect(database.changes == 1)
        #expect(database.lastInsertRowID == 2)

        let twoStatements = try #require(throws: SQLiteError.self) { try database.execute("SELECT 1; SELECT 2") }
        #expect(twoStatements.message.contains("more than one statement"))
        try database.execute("SELECT 1;  -- a comment is not a statement\n;")
        let none = try #require(throws: SQLiteError.self) { try database.execute(" -- nothing") }
        #expect(none.message.contains("no statement"))
    }

    @Test func openingAMissingFolderFails() throws {
        let error = try #require(throws: SQLiteError.self) {
            try SQLiteDatabase(path: "/nonexistent-\(UUID().uuidString)/db.sqlite")
        }
        #expect(error.primaryCode == 14)  // SQLITE_CANTOPEN
    }

    @Test func closingFinalizesEveryStatement() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (n)")
        try database.execute("INSERT INTO t (n) VALUES (1), (2)")
        _ = try database.first("SELECT n FROM t")
        #expect(database.cachedStatementCount == 3)
        // `close()` uses `sqlite3_close`, which refuses (SQLITE_BUSY) while a statement is left.
        try database.close()
        #expect(database.cachedStatementCount == 0)
        try database.close()
        let closed = try #require(throws: SQLiteError.self) { try database.execute("SELECT 1") }
        #expect(closed.primaryCode == 21)  // SQLITE_MISUSE
    }

    @Test func eachConnectionRunsOnItsOwnThread() async throws {
        try await withTemporaryDirectory { folder in
            let store = try await SQLiteStore.open(path: folder + "/threads.sqlite", logger: .quiet)
            try await closing(store) { store throws in
                let writer = store.writer.executor
                let reader = try #require(store.reader).executor
                #expect(try await store.writer.withConnection { _ in writer.isCurrent && !reader.isCurrent })
                #expect(try await store.read { _ in reader.isCurrent && !writer.isCurrent })
            }
        }
        let memory = try await SQLiteStore.open(path: ":memory:", logger: .quiet)
        try await closing(memory) { store throws in
            // One connection, so reads run on the writer's thread.
            #expect(store.reader == nil)
            let writer = store.writer.executor
            #expect(try await store.read { _ in writer.isCurrent })
        }
    }

    @Test func aStoresThreadsEndOnceItIsReleased() async throws {
        try await withTemporaryDirectory { folder in
            var store: SQLiteStore? = try await SQLiteStore.open(path: folder + "/ends.sqlite", logger: .quiet)
            try await store?.migrate()
            try await store?.save(Fixtures.record())
            let threads = [store?.writer.executor.thread, store?.reader?.executor.thread].compactMap { $0 }
            #expect(threads.count == 2)
            try await store?.close()
            store = nil
            // Ending has no signal to wait on; the bound is only there so a thread that never ends fails the test.
            let deadline = ContinuousClock.now + .seconds(30)
            while !threads.allSatisfy({ $0.isFinished }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(threads.allSatisfy { $0.isFinished })
        }
    }

    @Test func anExecutorsThreadWaitsForSubmissionsUntilEnoughCameOrTheWindowEnded() async throws {
        let executor = SQLiteThreadExecutor(name: "gather")
        let log = OrderLog()
        // Nothing comes: the wait ends with its window.
        try await executor.run { executor.waitForSubmissions(1, within: .milliseconds(10)) }
        // Two closures come while the thread waits for them, with a window longer than the suite's time limit.
        async let waited: Void = executor.run {
            log.append(0)
            executor.waitForSubmissions(2, within: .seconds(600))
            log.append(3)
        }
        while log.values.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
        executor.execute { log.append(1) }
        executor.execute { log.append(2) }
        try await waited
        #expect(try await executor.run { log.values } == [0, 3, 1, 2], "the wait ends first; what came runs after it, in order")
    }

    @Test func anExecutorRunsClosuresInTheOrderTheyCame() async throws {
        let executor = SQLiteThreadExecutor(name: "order")
        let log = OrderLog()
        for index in 0..<1_000 {
            executor.execute { log.append(index) }
        }
        #expect(try await executor.run { log.values } == Array(0..<1_000))
    }
}

private final class OrderLog: Sendable {
    private let entries = Mutex<[Int]>([])
    var values: [Int] { entries.withLock { $0 } }
    func append(_ value: Int) { entries.withLock { $0.append(value) } }
}
