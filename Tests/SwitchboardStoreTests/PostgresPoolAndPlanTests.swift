import Foundation
import PostgresNIO
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// How a PostgreSQL store keeps its connections, and how the database plans the statements every
/// login and send runs.
@Suite("PostgreSQL: the pool and the plans of the hot statements", .timeLimit(.minutes(2)))
struct PostgresPoolAndPlanTests {
    @Test func aStoreOpensItsWholePoolAndKeepsItOpenWhenIdle() async throws {
        try await TestPostgres.withStore { store in
            let pool = store.settings.pool
            #expect(pool > 1)
            var open = 0
            for _ in 0..<100 where open != pool {
                open = try await Self.clientConnections(store)
                if open != pool { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(open == pool)
            // Longer than the pool's own keep-alive and idle timers would let pass unremarked:
            // nothing closes an idle connection of a fixed pool.
            try await Task.sleep(for: .seconds(2))
            #expect(try await Self.clientConnections(store) == pool)
        }
    }

    @Test func theStepsOfALoginTheUserLookupAndTheBatchSaveRunGenericPlansByKey() async throws {
        try await TestPostgres.withStore { store in
            let rows = try await store.pool.run(
                """
                SELECT proname, array_to_string(proconfig, ',') AS settings FROM pg_proc
                WHERE proname IN ('switchboard_issue_challenge', 'switchboard_attempt', 'switchboard_user_by', 'switchboard_save_messages')
                ORDER BY proname
                """,
                logger: TestPostgres.quiet
            )
            let settings = try rows.map { [try $0.text("proname"), try $0.optionalText("settings") ?? ""] }
            #expect(
                settings == [
                    ["switchboard_attempt", "plan_cache_mode=force_generic_plan,enable_seqscan=off"],
                    ["switchboard_issue_challenge", "plan_cache_mode=force_generic_plan,enable_seqscan=off"],
                    ["switchboard_save_messages", "plan_cache_mode=force_generic_plan,enable_seqscan=off"],
                    ["switchboard_user_by", "plan_cache_mode=force_generic_plan,enable_seqscan=off"],
                ]
            )
        }
    }

    /// A connection that planned the batch save while `attempts` was empty still finds attempts by
    /// key once the table has grown, before anything has analyzed it: no save reads the table whole.
    @Test func aSavePlannedOnAnEmptyTableLooksAttemptsUpByKeyOnceTheTableHasGrown() async throws {
        try await TestPostgres.withDatabase { settings in
            try await TestPostgres.withStores(1, on: settings) { stores in
                let store = stores[0]
                try await store.migrate()
                let connection = try await TestPostgres.connection(to: settings)
                let logger = TestPostgres.quiet
                _ = try await connection.execute(MessageRecord.saveStatement([Fixtures.record(id: "msg_first")]), logger: logger)
                _ = try await connection.run(
                    """
                    WITH grown AS (
                        INSERT INTO messages (id, app, kind, to_number, country, route, sender, logged_text, encoding, segments,
                            status, provider, provider_message_id, created_at_us, updated_at_us)
                        SELECT 'msg_grown_' || g, 'acme', 'otp', '+447700900123', 'GB', 'uk', 'ACME', 'x'::bytea, 'gsm7', 1,
                            'sent', 'twilio', 'SM' || g, g, g
                        FROM generate_series(1, 5000) AS g
                        RETURNING id, created_at_us
                    )
                    INSERT INTO attempts (message_id, attempt_number, provider, outcome, latency_us, started_at_us)
                    SELECT id, 1, 'twilio', 'accepted', 1000, created_at_us FROM grown
                    """,
                    logger: logger
                )
                let before = try await Self.attemptScans(store, after: nil)
                for index in 0..<10 {
                    _ = try await connection.execute(MessageRecord.saveStatement([Fixtures.record(id: "msg_later_\(index)")]), logger: logger)
                }
                // This backend's counts reach the statistics once it is next idle.
                _ = try await connection.run("SELECT pg_stat_force_next_flush()", logger: logger)
                let after = try await Self.attemptScans(store, after: before)
                try await connection.close()
                #expect(after.byIndex > before.byIndex)
                #expect(after.sequential == before.sequential)
            }
        }
    }

    /// The store's database's client connections, as PostgreSQL counts them.
    private static func clientConnections(_ store: PostgresStore) async throws -> Int {
        let rows = try await store.pool.run(
            "SELECT count(*) AS open FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
            logger: TestPostgres.quiet
        )
        return Int(try rows[0].integer("open"))
    }

    /// How often `attempts` has been read by a sequential scan and through its indexes, as
    /// PostgreSQL's statistics have it; with `after`, once the index count has moved past it.
    private static func attemptScans(
        _ store: PostgresStore, after earlier: (sequential: Int64, byIndex: Int64)?
    ) async throws -> (sequential: Int64, byIndex: Int64) {
        while true {
            let rows = try await store.pool.run(
                "SELECT seq_scan, coalesce(idx_scan, 0) AS idx_scan FROM pg_stat_user_tables WHERE relname = 'attempts'",
                logger: TestPostgres.quiet
            )
            let scans = (sequential: try rows[0].integer("seq_scan"), byIndex: try rows[0].integer("idx_scan"))
            guard let earlier, scans.byIndex <= earlier.byIndex else { return scans }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
