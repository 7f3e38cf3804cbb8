import NIOCore
import PostgresNIO
import SwitchboardCore

/// How a batch of saves becomes one statement, so one round trip and one commit however many
/// messages it holds.
extension MessageRecord {
    /// Saves `records` (distinct ids) and their attempts with `switchboard_save_messages`
    /// (PostgreSQL migration 12): inserts each message or replaces the stored one unless that one
    /// supersedes it (``MessageRecord/supersedes(_:)``), and only for those it wrote, replaces the
    /// attempts.
    ///
    /// Each column of the batch is one array parameter, so the statement's text is the same for
    /// every batch, and each connection parses and plans it once (``PreparedStatement``). The
    /// function holds the statement that writes, so that it runs its generic plan whatever the
    /// batch's size (see the migration).
    static func saveStatement(_ records: [MessageRecord]) -> SaveStatement {
        let attempts = records.flatMap { record in
            record.attempts.enumerated().map { (messageID: record.id, number: Int64($0.offset + 1), attempt: $0.element) }
        }
        var binds = PostgresBindings(capacity: 25)
        binds.append(records.map(\.id))
        binds.append(records.map(\.app))
        binds.append(records.map(\.kind.rawValue))
        binds.append(records.map(\.to))
        binds.append(records.map(\.country))
        binds.append(records.map(\.route))
        binds.append(records.map(\.sender))
        binds.append(records.map { ByteBuffer(string: $0.loggedText) })
        binds.append(records.map(\.encoding.rawValue))
        binds.append(records.map { Int64($0.segments) })
        binds.append(records.map(\.status.rawValue))
        binds.append(PostgresNullableArray(records.map(\.provider)))
        binds.append(PostgresNullableArray(records.map(\.providerMessageID)))
        binds.append(records.map(\.createdAt.microsecondsSince1970))
        binds.append(records.map(\.updatedAt.microsecondsSince1970))
        binds.append(records.map { Int64($0.attempts.count) })
        binds.append(attempts.map(\.messageID))
        binds.append(attempts.map(\.number))
        binds.append(attempts.map(\.attempt.provider))
        binds.append(attempts.map(\.attempt.outcome.rawValue))
        binds.append(PostgresNullableArray(attempts.map(\.attempt.providerCode)))
        binds.append(PostgresNullableArray(attempts.map { $0.attempt.providerMessage.map { ByteBuffer(string: $0) } }))
        binds.append(PostgresNullableArray(attempts.map(\.attempt.providerMessageID)))
        binds.append(attempts.map(\.attempt.latencyMicroseconds))
        binds.append(attempts.map(\.attempt.startedAt.microsecondsSince1970))
        return SaveStatement(bindings: binds)
    }

    /// A batch of saves, each column one array parameter.
    struct SaveStatement: PreparedStatement {
        static let name = "switchboard_save_messages"
        let bindings: PostgresBindings

        static let sql = """
            SELECT switchboard_save_messages(
                $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[],
                $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::bigint[],
                $17::text[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::bytea[], $23::text[], $24::bigint[], $25::bigint[]
            )
            """
    }
}
