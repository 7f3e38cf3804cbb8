import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// The migration that gives every user an owning app, from a file written by the schema before it.
@Suite("SQLite: users owned by an app")
struct UserOwnerMigrationTests {
    @Test func existingUsersAreOwnedByTheirFirstAppAndKeepEveryMembership() async throws {
        try await withTemporaryDirectory { folder in
            let path = folder + "/store.sqlite"
            let old = try SQLiteDatabase(path: path)
            // Foreign keys on, as the store runs: rebuilding `users` must not cascade to the memberships.
            try old.execute("PRAGMA foreign_keys = ON")
            let before = SQLiteMigration.all.prefix { !$0.name.hasPrefix("users owned by an app") }
            #expect(before.count < SQLiteMigration.all.count)
            try SQLiteMigrator.migrate(old, migrations: Array(before), logger: .quiet)
            func insertUser(_ id: String, phone: String, username: String) throws {
                try old.execute(
                    """
                    INSERT INTO users (id, phone_number, phone_verified, email, username, status, created_at_us, updated_at_us)
                    VALUES (?1, ?2, 0, NULL, ?3, 'Active', 1, 1)
                    """,
                    [.text(id), .text(phone), .text(username)]
                )
            }
            try insertUser("carol", phone: "+447700900171", username: "carol171")
            try insertUser("bob", phone: "+447700900181", username: "bob")
            // Carol joined demo first and was attached to other later; Bob only ever joined other.
            for (app, user, at) in [("other", "carol", 20), ("demo", "carol", 10), ("other", "bob", 5)] {
                try old.execute("INSERT INTO app_members (app, user_id, created_at_us) VALUES (?1, ?2, ?3)", [.text(app), .text(user), .integer(at)])
            }
            try old.close()

            let store = try await SQLiteStore.open(path: path, logger: .quiet)
            try await closing(store) { store in
                try await store.migrate()
                let demo = UserScope(app: "demo")
                #expect(try await store.user(.username("carol171"), in: demo)?.id == "carol")
                // Owned by demo: other sees Carol only when it shares demo's users.
                #expect(try await store.user(.username("carol171"), in: UserScope(app: "other")) == nil)
                #expect(try await store.user(.username("carol171"), in: UserScope(app: "other", sharedWith: ["demo"]))?.id == "carol")
                #expect(try await store.user(.phoneNumber("+447700900181"), in: UserScope(app: "other"))?.id == "bob")
                // Identifiers are no longer unique in the whole file, only among the users one app sees.
                let third = LoginUser(id: "carol-3", phoneNumber: "+447700900171", username: "carol171", createdAt: Date(), updatedAt: Date())
                guard case .created = try await store.createUser(third, in: UserScope(app: "third")) else {
                    Issue.record("an isolated app could not have its own user with Carol's identifiers")
                    return
                }
                #expect(try await store.user(.username("carol171"), in: demo)?.id == "carol")
                let counts = try await store.read { database in
                    try database.query("SELECT count(*) AS n FROM app_members").first?.column("n")
                }
                #expect(counts == .integer(4))
                let broken = try await store.read { try $0.query("PRAGMA foreign_key_check").count }
                #expect(broken == 0)
            }
        }
    }
}
