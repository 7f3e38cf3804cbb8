package import Foundation
import PostgresNIO
import SwitchboardCore

extension PostgresStore: LockoutRelease {
    package func unlock(app: String, userID: String, now: Date) async throws -> Bool {
        let rows = try await pool.run(
            """
            DELETE FROM otp_failures WHERE app = \(app) AND user_id = \(userID)
            RETURNING coalesce(locked_until_us, 0) AS locked_until_us
            """,
            logger: logger
        )
        return try rows.contains { try $0.date("locked_until_us") > now }
    }
}
