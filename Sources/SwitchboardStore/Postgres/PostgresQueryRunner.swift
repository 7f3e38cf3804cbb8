import Logging
import PostgresNIO

/// What runs a query to its last row: the pool (any free connection, ``PostgresPool``) or one connection (inside a
/// transaction), so a step can be written once for both.
protocol PostgresQueryRunner {
    /// Runs `query` and returns every row it produced.
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow]

    /// Runs `statement`, preparing it first on a connection that has not prepared it yet, and
    /// returns every row it produced.
    @discardableResult
    func run<Statement: PreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [PostgresRandomAccessRow]
}

/// A statement PostgreSQL parses and plans once per connection, then only binds and runs: for the
/// statements every login runs, whose parsing and planning cost the server as much as running them.
///
/// Every parameter in `sql` carries a cast (`$1::text`): the server takes each parameter's type
/// from the text, and the bound value must be of that type. Each statement names itself
/// (`switchboard_…`): PostgreSQL keeps the first 63 bytes of a name, and the names Swift would make
/// from the types run longer.
protocol PreparedStatement: PostgresPreparedStatement where Row == PostgresRow {
    /// The parameters, in the order of their numbers in `sql`.
    var bindings: PostgresBindings { get }
}

extension PreparedStatement {
    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

/// A statement runs where its caller runs, as the library's functions do: on the connection's
/// event loop when the caller is there (``ConnectionLoop``), so that the check and the write follow
/// each other there.
extension PostgresConnection: PostgresQueryRunner {
    @discardableResult
    nonisolated(nonsending) func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await checkedOpen().query(query, logger: logger).rows()
    }

    @discardableResult
    nonisolated(nonsending) func run<Statement: PreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await checkedOpen().execute(statement, logger: logger).rows()
    }

    /// The connection, unless it has closed.
    ///
    /// The client library writes a statement to its connection from whatever thread asks, and
    /// the write reaches the event loop later; a connection the server ended stays in the pool
    /// until the loop has removed its handlers, and a statement written to it then is dropped
    /// unanswered and waits forever. The pool hands out such connections between the two (a
    /// restart, a failover, `pg_terminate_backend`): refusing them here leaves only the moment
    /// between this check and the write, which ``ConnectionLoop`` closes for the writer of
    /// message saves, where a statement that never answers would stop every send after it.
    /// - Throws: ``PostgresStoreError/connectionLost``.
    func checkedOpen() throws -> PostgresConnection {
        guard !isClosed else { throw PostgresStoreError.connectionLost }
        return self
    }
}
