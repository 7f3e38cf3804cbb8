import PostgresNIO
import SwitchboardCore

/// PostgreSQL's errors describe themselves generically so as not to leak values. Their code,
/// SQLSTATE and server message say what went wrong; the query, its parameters and the detail
/// (which quotes the row at fault) stay out of the log.
extension PSQLError: LoggedError {
    package var logDescription: String {
        var parts = ["PostgreSQL \(code)"]
        if let message = serverInfo?[.message] { parts.append(message) }
        if let state = serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
        return parts.joined(separator: ": ")
    }
}
