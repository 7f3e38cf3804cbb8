import Foundation

/// A path in this repository, so tests read the files that ship (`config.yaml`, `providers/`).
/// - Parameter relative: The path from the repository's root.
/// - Returns: The absolute path.
package func repositoryPath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}
