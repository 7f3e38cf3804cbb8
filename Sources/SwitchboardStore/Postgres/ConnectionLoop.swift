import NIOCore
import PostgresNIO

/// Runs a statement on its connection's event loop, checked open there: for the writer of message
/// saves, whose statement must never be lost.
///
/// Off the loop, a check (``PostgresConnection/checkedOpen()``) and the write that follows it
/// reach the loop apart, and a close can come between: the write then finds the connection's
/// handlers removed, is dropped, and the statement waits forever. On the loop, the check and the
/// write happen in one go: an open connection takes the statement, and fails it if it closes
/// later. The library's functions run where their caller runs, so a statement started by
/// ``run(_:)`` writes from the loop. It costs two hops between threads a statement, which a batch
/// of saves shares out.
actor ConnectionLoop {
    let connection: PostgresConnection
    nonisolated let unownedExecutor: UnownedSerialExecutor

    init(_ connection: PostgresConnection) {
        self.connection = connection
        unownedExecutor = connection.eventLoop.executor.asUnownedSerialExecutor()
    }

    /// Runs `statement` on the connection's event loop, where ``PostgresConnection/run(_:logger:)``
    /// checks the connection open and writes the statement in one go.
    func run<T: Sendable>(_ statement: @Sendable (isolated ConnectionLoop, PostgresConnection) async throws -> T) async throws -> T {
        try await statement(self, connection)
    }
}
