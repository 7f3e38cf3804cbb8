import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardStore

/// The database holds the token-signing key and the code-hashing secret: only its owner may read it.
@Suite("SQLite file modes")
struct SQLiteFileModeTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int) & 0o777
    }

    @Test("a new database, its -wal and -shm files are 0600, and the folders made for it 0700")
    func newFilesAreTheOwnersOnly() async throws {
        try await withTemporaryDirectory { folder in
            let made = folder + "/data"
            let path = made + "/deeper/switchboard.sqlite"
            let store = try await SQLiteStore.open(path: path, logger: .quiet)
            try await closing(store) { store in
                try await store.migrate()
                // A write, so the write-ahead log and its index exist.
                try await store.save(Fixtures.record())
                #expect(FileManager.default.fileExists(atPath: path + "-wal"))
                #expect(FileManager.default.fileExists(atPath: path + "-shm"))
                #expect(try Self.mode(path) == 0o600)
                #expect(try Self.mode(path + "-wal") == 0o600)
                #expect(try Self.mode(path + "-shm") == 0o600)
            }
            #expect(try Self.mode(made) == 0o700)
            #expect(try Self.mode(made + "/deeper") == 0o700)
        }
    }

    @Test("a folder and a database that already exist keep their modes")
    func existingFilesAreLeftAlone() async throws {
        try await withTemporaryDirectory { folder in
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            let path = folder + "/switchboard.sqlite"
            try await closing(try await SQLiteStore.open(path: path, logger: .quiet)) { try await $0.migrate() }
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)

            try await closing(try await SQLiteStore.open(path: path, logger: .quiet)) { store in
                try await store.migrate()
                try await store.save(Fixtures.record())
            }
            #expect(try Self.mode(folder) == 0o755)
            #expect(try Self.mode(path) == 0o640)
        }
    }
}
