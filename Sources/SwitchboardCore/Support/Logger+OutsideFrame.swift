package import Logging

extension Logger {
    /// Logs from a function of its own, never inlined. A log call written in an async function
    /// takes room in that function's frame for its message, metadata and source, and the frame
    /// stays allocated for as long as the function runs: a send's, while its provider answers, in
    /// every send in flight. Through this, that room is on the thread's stack, for the call only.
    @inline(never)
    package func logOutsideFrame(
        _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message, metadata: @autoclosure () -> Logger.Metadata? = nil,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) {
        log(level: level, message(), metadata: metadata(), file: file, function: function, line: line)
    }
}
