import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardStore

/// Daemons sharing one PostgreSQL database take turns purging: while one holds the retention
/// lock, another's batches delete nothing.
@Suite("PostgreSQL retention across daemons", .timeLimit(.minutes(3)))
struct PostgresRetentionLockTests {
    @Test func whileOneDaemonPurgesAnotherDeletesNothing() async throws {
        try await TestPostgres.withDatabase { settings in
            try await TestPostgres.withStores(2, on: settings) { stores in
                let (first, second) = (stores[0], stores[1])
                try await first.migrate()
                let cutoff = RetentionContractTests.cutoff
                for index in 1...3 {
                    try await first.save(RetentionContractTests.message("msg_old_\(index)", createdAt: RetentionContractTests.before(60)))
                }
                let holding = Gate()
                let release = Gate()
                // The first daemon in the middle of a batch: it holds the lock until its commit.
                let holder = Task {
                    try await first.transaction { connection in
                        let taken = try await connection.tryLock(AdvisoryLock.retention, logger: TestPostgres.quiet)
                        holding.open()
                        await release.wait()
                        return taken
                    }
                }
                await holding.wait()
                #expect(try await second.purge(.messages, endedBefore: cutoff, limit: 10) == 0)
                #expect(try await second.countPurgeable(.messages, endedBefore: cutoff) == 3)
                release.open()
                #expect(try await holder.value)
                #expect(try await second.purge(.messages, endedBefore: cutoff, limit: 10) == 3)
            }
        }
    }
}
