package import Foundation

/// Runs a program outside Swift (xmllint, a reference client in Python) to its end.
/// - Returns: Its exit status and what it wrote, standard output and error together.
package func runExternalTool(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardError = output
    process.standardOutput = output
    // Wait for the exit without blocking a concurrency thread.
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        process.terminationHandler = { _ in continuation.resume() }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    return (process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
}
