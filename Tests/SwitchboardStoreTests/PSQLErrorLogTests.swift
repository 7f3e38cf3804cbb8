import Logging
import PostgresNIO
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A database error in the log says what went wrong, where PostgreSQL's own description is generic.
@Suite("PostgreSQL errors in the log")
struct PSQLErrorLogTests {
    @Test func aServerErrorIsLoggedWithItsMessageAndSQLState() async throws {
        try await TestPostgres.withDatabase { settings in
            let connection = try await TestPostgres.connection(to: settings)
            let divisor = 0
            let error = await #expect(throws: PSQLError.self) {
                _ = try await connection.query("SELECT 1 / \(divisor) AS never", logger: TestPostgres.quiet).collect()
            }
            try await connection.close()
            let failure = try #require(error)
            #expect(!"\(failure)".contains("division by zero"))
            #expect(logDescription(of: failure) == "PostgreSQL server: division by zero: SQLSTATE 22012")
        }
    }

    @Test func anyOtherErrorIsLoggedAsItDescribesItself() {
        #expect(logDescription(of: PostgresStoreError.closed) == "the PostgreSQL store is closed")
    }
}
