package import Foundation
import SwitchboardCore

extension SQLiteStore: LockoutRelease {
    package func unlock(app: String, userID: String, now: Date) async throws -> Bool {
        let key: [SQLiteValue] = [.text(app), .text(userID), .integer(Int(now.microsecondsSince1970))]
        return try await writer.inTransaction { database in
            let locked = try database.query(
                "SELECT 1 AS locked FROM otp_failures WHERE app = ?1 AND user_id = ?2 AND locked_until_us > ?3", key
            )
            try database.execute("DELETE FROM otp_failures WHERE app = ?1 AND user_id = ?2", Array(key.prefix(2)))
            return !locked.isEmpty
        }
    }
}
