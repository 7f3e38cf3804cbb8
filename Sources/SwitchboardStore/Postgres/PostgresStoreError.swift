/// Why the PostgreSQL store refused or failed an operation.
package enum PostgresStoreError: Error, CustomStringConvertible {
    /// A column held a value this version cannot read: the row was edited by hand.
    case invalidColumn(table: String, column: String, value: String)
    /// The database was migrated by a newer Switchboard; running older code on it could damage it.
    case schemaTooNew(found: Int, known: Int)
    /// The store was closed before this write was queued.
    case closed
    /// The connection a statement was to run on had closed (the server ended it); nothing was sent.
    case connectionLost
    /// The authorities the URL's `sslrootcert` names cannot be used.
    case rootCertificates(path: String, problem: String)
    /// The server's TLS certificate did not pass the check the URL asks for.
    case serverCertificateRejected(check: String, detail: String)

    package var description: String {
        switch self {
        case .invalidColumn(let table, let column, let value):
            "unreadable value \(value) in \(table).\(column)"
        case .schemaTooNew(let found, let known):
            "the database schema is at version \(found) but this build knows only up to \(known)"
        case .closed:
            "the PostgreSQL store is closed"
        case .connectionLost:
            "the connection to PostgreSQL had closed before the statement was sent; the pool opens another"
        case .rootCertificates(let path, let problem):
            "the URL's sslrootcert, \(path), \(problem); name the PEM file of the authorities that sign the server's certificate, or write sslrootcert=system"
        case .serverCertificateRejected(let check, let detail):
            "the server's TLS certificate was refused (\(detail)); the URL asks for \(check): name the authority that signed it in sslrootcert=FILE, or connect to the name the certificate gives"
        }
    }
}
