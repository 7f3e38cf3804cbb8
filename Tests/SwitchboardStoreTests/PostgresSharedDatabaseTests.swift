import Foundation
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// What several daemons sharing one PostgreSQL database rely on, with one store per daemon.
@Suite("PostgreSQL shared by several daemons", .timeLimit(.minutes(3)))
struct PostgresSharedDatabaseTests {
    @Test func daemonsStartingTogetherApplyEachMigrationOnce() async throws {
        try await TestPostgres.withDatabase { settings in
            let stores = try (0..<6).map { _ in try PostgresStore.open(settings, logger: TestPostgres.quiet) }
            let failures = await withTaskGroup(of: String?.self) { group in
                for store in stores {
                    group.addTask {
                        do {
                            try await store.migrate()
                            return nil
                        } catch {
                            return String(reflecting: error)
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
            }
            let versions = try await Self.appliedVersions(settings)
            let newest = try await stores[0].schemaVersion()
            for store in stores { try await store.close() }
            #expect(failures == [])
            #expect(versions == Array(1...newest))
            #expect(newest >= 2)
        }
    }

    @Test func twoDaemonsGetOneSecret() async throws {
        try await TestPostgres.withDatabase { settings in
            let (a, b, later) = try await TestPostgres.withStores(2, on: settings) { stores in
                let (first, second) = (stores[0], stores[1])
                try await first.migrate()
                try await second.migrate()
                async let fromFirst = first.secret(named: "signing-key", orInsert: Array(repeating: 1, count: 32))
                async let fromSecond = second.secret(named: "signing-key", orInsert: Array(repeating: 2, count: 32))
                let (a, b) = try await (fromFirst, fromSecond)
                let later = try await second.secret(named: "signing-key", orInsert: Array(repeating: 3, count: 32))
                return (a, b, later)
            }
            #expect(a == b)
            #expect(later == a)
            #expect(a == Array(repeating: 1, count: 32) || a == Array(repeating: 2, count: 32))
        }
    }

    /// Every `schema_migrations` row's version, in order, as a plain query sees them.
    private static func appliedVersions(_ settings: PostgresSettings) async throws -> [Int] {
        try await TestPostgres.withStores(1, on: settings) { try await $0[0].appliedMigrationVersions() }
    }
}
