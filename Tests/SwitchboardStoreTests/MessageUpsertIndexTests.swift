import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// What SQLite's plan for the message upsert rewrites when a message is saved again (its outcome
/// after its pending record): read from the statement's program, so a change to the statement
/// that would rewrite more shows here, not only as a slower benchmark.
@Suite("SQLite message upsert")
struct MessageUpsertIndexTests {
    @Test func savingAnOutcomeLeavesTheIndexesByNumberAndCreationAlone() async throws {
        try await StoreKind.sqliteFile.withSQLiteStore { store in
            let rewritten = try await store.read { database in
                try Self.indexesWithEntriesDeleted(by: MessageRecord.upsertSQL(rows: 1), binding: MessageRecord.upsertRows.valuesPerRow, in: database)
            }
            #expect(!rewritten.contains("messages_by_created"), "\(rewritten)")
            #expect(!rewritten.contains("messages_by_to_created"), "\(rewritten)")
            // The status and the provider's id change with the outcome, and so do the entries of
            // the indexes on them.
            #expect(
                rewritten == ["messages_pending_by_created", "messages_interrupted_by_created", "messages_queued_by_created", "messages_by_provider_message"]
            )
        }
    }

    /// The indexes whose entries the statement's program deletes: an insert only adds entries, so
    /// these are the ones an update of a stored row rewrites.
    private static func indexesWithEntriesDeleted(by sql: String, binding count: Int, in database: SQLiteDatabase) throws -> Set<String> {
        var indexByRootPage: [Int: String] = [:]
        for row in try database.query("SELECT name, rootpage FROM sqlite_schema WHERE type = 'index'") {
            if let name = row.column("name")?.textValue, let page = row.column("rootpage")?.integerValue {
                indexByRootPage[page] = name
            }
        }
        var openOnCursor: [Int: Int] = [:]
        var deleted: Set<String> = []
        let program = try database.query("EXPLAIN " + sql, Array(repeating: .null, count: count))
        for instruction in program {
            guard let opcode = instruction.column("opcode")?.textValue, let cursor = instruction.column("p1")?.integerValue else { continue }
            switch opcode {
            case "OpenRead", "OpenWrite":
                openOnCursor[cursor] = instruction.column("p2")?.integerValue
            case "IdxDelete":
                if let name = openOnCursor[cursor].flatMap({ indexByRootPage[$0] }) { deleted.insert(name) }
            default:
                break
            }
        }
        return deleted
    }
}
