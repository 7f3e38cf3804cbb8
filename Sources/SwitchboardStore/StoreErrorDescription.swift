import PostgresNIO

/// How a store's error reads in the log. PostgreSQL's errors describe themselves generically so as
/// not to leak values; their code, SQLSTATE and server message say what went wrong without the
/// query's parameters or the row a detail would quote.
package enum StoreErrorDescription {
    package static func of(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        var parts = ["PostgreSQL \(error.code)"]
        if let message = error.serverInfo?[.message] { parts.append(message) }
        if let state = error.serverInfo?[.sqlState] { parts.append("SQLSTATE \(state)") }
        return parts.joined(separator: ": ")
    }
}
