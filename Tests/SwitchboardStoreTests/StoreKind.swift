import Foundation
import Logging
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// The stores the contract suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case sqliteFile
    case sqliteInMemory
    /// A fresh database of the test cluster (`scripts/test`); without one the test fails.
    case postgres

    var testDescription: String { rawValue }

    /// Calls `body` with a new, empty, migrated store of this kind, and closes and removes it after.
    func withStore(_ body: (any MessageStore & InboxStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            try await body(MemoryStore())
        case .sqliteInMemory, .sqliteFile:
            try await withSQLiteStore { try await body($0) }
        case .postgres:
            try await TestPostgres.withStore { try await body($0) }
        }
    }

    /// Calls `body` with a new, empty, migrated SQLite store of this kind (in memory or in a
    /// temporary file), and closes and removes it after.
    /// - Throws: ``NotASQLiteStore`` for ``memory`` and ``postgres``, so a test that names the wrong kind fails
    ///   instead of quietly running against a store it did not ask for.
    func withSQLiteStore(_ body: (SQLiteStore) async throws -> Void) async throws {
        switch self {
        case .sqliteFile:
            try await withTemporaryDirectory { folder in
                let store = try await SQLiteStore.open(path: folder + "/store.sqlite", logger: .quiet)
                try await store.migrate()
                try await closing(store) { try await body($0) }
            }
        case .sqliteInMemory:
            let store = try await SQLiteStore.open(path: ":memory:", logger: .quiet)
            try await store.migrate()
            try await closing(store) { try await body($0) }
        case .memory, .postgres:
            throw NotASQLiteStore(kind: self)
        }
    }
}

/// A SQLite-only test was given a kind that is not SQLite.
struct NotASQLiteStore: Error, Equatable {
    let kind: StoreKind
}

/// Calls `body` with `store`, then closes the store, even when `body` throws.
func closing<T>(_ store: SQLiteStore, _ body: (SQLiteStore) async throws -> T) async throws -> T {
    let value: T
    do {
        value = try await body(store)
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
    return value
}

/// Calls `body` with the path of a new empty folder, and removes the folder after.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("switchboard-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder.path)
}

extension Logger {
    /// A logger that drops everything, so migrations don't print into test output.
    static let quiet = Logger(label: "switchboard.store.tests") { _ in SwiftLogNoOpLogHandler() }
}
