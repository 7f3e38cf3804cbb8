/// Runs a program outside Swift (xmllint, a reference client in Python) to its end.
/// - Returns: Its exit status and what it wrote, standard output and error together.
package func runExternalTool(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let tool = try ChildProcess(executable, arguments, outputs: .merged)
    let ended = try await tool.termination()
    _ = await tool.outputsEnded(within: .seconds(10))
    return (ended.status, tool.standardOutput.text)
}
