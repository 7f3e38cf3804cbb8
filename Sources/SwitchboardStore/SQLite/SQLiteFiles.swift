import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The database's files on disk.
enum SQLiteFiles {
    /// Creates the database's folder (mode 0700, with any missing parents) and an empty database
    /// file (mode 0600) when they do not exist yet; existing ones are left as they are.
    ///
    /// The file holds the token-signing key and the code-hashing secret, so only its owner may
    /// read it. SQLite would create it with 0644; made here first, it keeps 0600, and SQLite gives
    /// the `-wal` and `-shm` files it creates the database file's mode. An empty file is an empty
    /// database to SQLite.
    /// - Parameter path: The database file (not `:memory:`). A `file:` URI is left to SQLite.
    /// - Throws: ``SQLiteStoreError/cannotCreate(path:reason:)``.
    static func create(path: String) throws {
        guard !path.hasPrefix("file:") else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try createFolder(folder)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            // Someone else's file, or one an earlier start made: not ours to change.
            if errno == EEXIST { return }
            throw SQLiteStoreError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        // The umask may have taken bits from 0600, but never added any; set exactly 0600.
        let changed = fchmod(descriptor, 0o600)
        let reason = changed == 0 ? nil : String(cString: strerror(errno))
        close(descriptor)
        if let reason { throw SQLiteStoreError.cannotCreate(path: path, reason: reason) }
    }

    /// Creates `folder` and its missing parents, each with mode 0700; a folder that exists is left as it is.
    private static func createFolder(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        if folder.isEmpty || FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) { return }
        let parent = URL(fileURLWithPath: folder).deletingLastPathComponent().path
        if parent != folder { try createFolder(parent) }
        guard mkdir(folder, 0o700) == 0 else {
            if errno == EEXIST { return }
            throw SQLiteStoreError.cannotCreate(path: folder, reason: String(cString: strerror(errno)))
        }
        guard chmod(folder, 0o700) == 0 else {
            throw SQLiteStoreError.cannotCreate(path: folder, reason: String(cString: strerror(errno)))
        }
    }
}
