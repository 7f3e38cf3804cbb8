import Foundation

/// What the file system says of the configuration file and of each file in the providers folder:
/// file number (inode), size and modification time. An editor's save-as-rename changes the file
/// number, an in-place write the time and usually the size.
struct FileFingerprint: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var path: String
        var fileNumber: UInt64?
        var size: UInt64?
        var modified: Date?
    }

    var entries: [Entry]

    /// Reads the fingerprint now: synchronous file-system calls, for a thread-pool thread.
    /// - Parameter files: The configuration's files; a missing file is left out (which is a change too).
    static func read(_ files: ConfigurationFiles) -> FileFingerprint {
        var paths = [files.configPath]
        if let names = try? FileManager.default.contentsOfDirectory(atPath: files.providersFolder) {
            paths += names.sorted().filter { !$0.hasPrefix(".") }.map { (files.providersFolder as NSString).appendingPathComponent($0) }
        }
        return FileFingerprint(entries: paths.compactMap(entry))
    }

    private static func entry(_ path: String) -> Entry? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return Entry(
            path: path, fileNumber: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value, size: (attributes[.size] as? NSNumber)?.uint64Value,
            modified: attributes[.modificationDate] as? Date
        )
    }
}
