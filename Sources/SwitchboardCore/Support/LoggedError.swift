/// An error that reads differently in the log than its `description`: one whose own description is
/// generic on purpose, so that its useful parts are picked here.
package protocol LoggedError: Error {
    var logDescription: String { get }
}

/// How `error` reads in a log line's `sb.error`.
package func logDescription(of error: any Error) -> String {
    (error as? any LoggedError)?.logDescription ?? "\(error)"
}
