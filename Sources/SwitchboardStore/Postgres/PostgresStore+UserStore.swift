package import Foundation
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: UserStore {
    static let userColumns = """
        id, phone_number, phone_verified, phone_verified_at_us, email, username, external_user_id,
        name_json, custom_data_json, status, created_at_us, updated_at_us
        """

    /// One transaction that first locks each identifier the user has (in one order, so two
    /// creations never wait for each other in a circle): two daemons creating users with the same
    /// phone number in one sharing group take turns, and the second finds the first's user.
    package func createUser(_ user: LoginUser, in scope: UserScope) async throws -> CreateUserOutcome {
        try await transaction { connection in
            let locks = UserMatching.fields.compactMap { field in
                user[keyPath: field.value].map { AdvisoryLock.identifier(field: field.name, value: $0) }
            }
            try await connection.lock(locks.sorted(), logger: logger)
            var matches: [(field: String, user: LoginUser)] = []
            for field in UserMatching.fields {
                guard let value = user[keyPath: field.value] else { continue }
                let rows = try await connection.run(
                    "SELECT \(unescaped: Self.userColumns) FROM users WHERE \(unescaped: field.name) = \(value) AND owner_app = ANY(\(scope.owners)) ORDER BY id",
                    logger: logger
                )
                for row in rows { matches.append((field.name, try LoginUser(row: row))) }
            }
            let candidates = Array(Set(matches.map(\.user.id)))
            let memberRows = try await connection.run(
                "SELECT user_id FROM app_members WHERE app = \(scope.app) AND user_id = ANY(\(candidates))", logger: logger
            )
            let members = Set(try memberRows.map { try $0.text("user_id") })
            let now = user.createdAt.microsecondsSince1970
            switch UserMatching.decide(candidate: user, matches: matches, isMember: { members.contains($0.id) }) {
            case .create:
                try await connection.run(
                    """
                    INSERT INTO users (id, owner_app, phone_number, phone_verified, phone_verified_at_us, email, username,
                        external_user_id, name_json, custom_data_json, status, created_at_us, updated_at_us)
                    VALUES (\(user.id), \(scope.app), \(user.phoneNumber), \(user.phoneNumberVerified),
                        \(user.phoneNumberVerifiedAt?.microsecondsSince1970), \(user.email), \(user.username),
                        \(user.externalUserID), \(user.nameJSON), \(user.customDataJSON), \(user.status.rawValue),
                        \(now), \(user.updatedAt.microsecondsSince1970))
                    """,
                    logger: logger
                )
                try await connection.run(
                    "INSERT INTO app_members (app, user_id, created_at_us) VALUES (\(scope.app), \(user.id), \(now))", logger: logger
                )
                var stored = user
                stored.createdAt = user.createdAt.roundedToMicroseconds
                stored.updatedAt = user.updatedAt.roundedToMicroseconds
                stored.phoneNumberVerifiedAt = user.phoneNumberVerifiedAt?.roundedToMicroseconds
                return .created(stored)
            case .addToApp(let existing):
                try await connection.run(
                    "INSERT INTO app_members (app, user_id, created_at_us) VALUES (\(scope.app), \(existing.id), \(now))",
                    logger: logger
                )
                return .addedToApp(existing)
            case .refuse(let outcome):
                return outcome
            }
        }
    }

    package func user(_ identifier: UserIdentifier, in scope: UserScope) async throws -> LoginUser? {
        let (column, value) =
            switch identifier {
            case .userID(let value): ("id", value)
            case .phoneNumber(let value): ("phone_number", value)
            case .email(let value): ("email", value)
            case .username(let value): ("username", value)
            }
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(column)
        bindings.append(value)
        bindings.append(scope.owners)
        bindings.append(scope.app)
        return try await pool.run(UserLookupStatement(bindings: bindings), logger: logger).first.map(LoginUser.init(row:))
    }

    package func markPhoneNumberVerified(userID: String, at date: Date) async throws {
        let micros = date.microsecondsSince1970
        try await pool.run(
            """
            UPDATE users SET phone_verified = true, phone_verified_at_us = \(micros), updated_at_us = \(micros)
            WHERE id = \(userID) AND NOT phone_verified
            """,
            logger: logger
        )
    }
}

extension LoginUser {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.text("id"),
            phoneNumber: try row.optionalText("phone_number"),
            phoneNumberVerified: try row.boolean("phone_verified"),
            phoneNumberVerifiedAt: try row.optionalDate("phone_verified_at_us"),
            email: try row.optionalText("email"),
            username: try row.optionalText("username"),
            externalUserID: try row.optionalText("external_user_id"),
            nameJSON: try row.optionalText("name_json"),
            customDataJSON: try row.optionalText("custom_data_json"),
            status: try row.value("status", table: "users", as: LoginUserStatus.self),
            createdAt: try row.date("created_at_us"),
            updatedAt: try row.date("updated_at_us")
        )
    }
}

/// The user an identifier names among the owners a scope sees, if a member of the scope's app:
/// `switchboard_user_by` (PostgreSQL migration 12), which runs its generic plans.
private struct UserLookupStatement: PreparedStatement {
    static let name = "switchboard_user_by"
    static let sql = """
        SELECT \(PostgresStore.userColumns) FROM switchboard_user_by($1::text, $2::text, $3::text[], $4::text)
        """

    let bindings: PostgresBindings
}
