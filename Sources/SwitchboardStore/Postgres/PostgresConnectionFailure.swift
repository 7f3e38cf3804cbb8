import _ConnectionPoolModule
import PostgresNIO
import SwitchboardCore

/// Errors that say the connection or the server went away, not that the statement was wrong: a
/// connection the server ended or that broke, one that could not be opened, the server shutting
/// down or starting up (SQLSTATE class 57P), a connection exception (class 08), a pool closed
/// while a statement waited for one of its connections, and a server that takes no writes
/// (`read_only_sql_transaction`, 25006: a standby, or a former primary the address still names
/// after a failover), which the daemon cannot use any more than one it cannot reach.
enum PostgresConnectionFailure {
    /// Why the database could not be used, for the log and ``StoreUnavailable``; `nil` when
    /// `error` is the statement's own, which a retry would meet again.
    static func reason(of error: any Error) -> String? {
        switch error {
        case PostgresStoreError.connectionLost:
            return "the connection had closed"
        case let error as ConnectionPoolError where error == .connectionCreationCircuitBreakerTripped:
            return "no connection could be opened for a minute"
        case let error as ConnectionPoolError where error == .poolShutdown:
            return "the pool of connections was closed"
        case let error as PSQLError:
            return isConnectionLevel(error) ? describe(error) : nil
        default:
            return nil
        }
    }

    /// SQLSTATE `read_only_sql_transaction`.
    private static let readOnlyTransaction = "25006"

    private static func isConnectionLevel(_ error: PSQLError) -> Bool {
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("57P") || state.hasPrefix("08") || state == readOnlyTransaction
        default:
            return false
        }
    }

    /// The error as the log shows it, and what broke underneath (a refused or reset connection).
    private static func describe(_ error: PSQLError) -> String {
        guard let underlying = error.underlying else { return error.logDescription }
        return "\(error.logDescription) (\(underlying))"
    }
}
