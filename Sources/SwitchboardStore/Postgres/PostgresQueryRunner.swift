import Logging
import PostgresNIO

/// What runs a query to its last row: the pool (any free connection) or one connection (inside a
/// transaction), so a step can be written once for both.
protocol PostgresQueryRunner {
    /// Runs `query` and returns every row it produced.
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow]
}

extension PostgresClient: PostgresQueryRunner {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).rows()
    }
}

extension PostgresConnection: PostgresQueryRunner {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).rows()
    }
}
