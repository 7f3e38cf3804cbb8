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
            let rows = try await store.client.run(
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

    /// The store's database's client connections, as PostgreSQL counts them.
    private static func clientConnections(_ store: PostgresStore) async throws -> Int {
        let rows = try await store.client.run(
            "SELECT count(*) AS open FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
            logger: TestPostgres.quiet
        )
        return Int(try rows[0].integer("open"))
    }
}
