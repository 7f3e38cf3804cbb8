import NIOCore
import PostgresNIO
import SwitchboardCore

/// How a batch of saves becomes one statement, so one round trip and one commit however many
/// messages it holds.
extension MessageRecord {
    /// Saves `records` (distinct ids) and their attempts: inserts each message or replaces every
    /// field of the stored one (keeping its `row_order`), unless the stored one supersedes it
    /// (``MessageRecord/supersedes(_:)``); only for those it wrote, replaces the attempts.
    ///
    /// Each column of the batch is one array parameter, so the statement's text is the same for
    /// every batch, and each connection parses and plans it once (``PreparedStatement``). The attempts are upserted by number and those past each
    /// message's last deleted, rather than all deleted and inserted again: the statement's parts run
    /// in an order PostgreSQL does not promise, and a delete and an insert of one key in one
    /// statement would meet in the primary key. The delete sees the statement's snapshot, not
    /// attempts a concurrent save committed since; no two saves of one message write attempts at
    /// once (the pending save has none, and the sweep of interrupted messages only takes those older
    /// than the delivery deadline).
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
            WITH incoming AS (
                SELECT * FROM unnest(
                    $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[],
                    $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::bigint[]
                ) AS i (
                    id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                    provider, provider_message_id, created_at_us, updated_at_us, attempt_count
                )
            ),
            written AS (
                INSERT INTO messages (
                    id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                    provider, provider_message_id, created_at_us, updated_at_us
                )
                SELECT id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                    provider, provider_message_id, created_at_us, updated_at_us
                FROM incoming
                \(MessageRecord.newerWinsConflict)
            ),
            dropped AS (
                DELETE FROM attempts USING written, incoming
                WHERE attempts.message_id = written.id AND incoming.id = written.id
                    AND attempts.attempt_number > incoming.attempt_count
            )
            INSERT INTO attempts (
                message_id, attempt_number, provider, outcome, provider_code, provider_message,
                provider_message_id, latency_us, started_at_us
            )
            SELECT a.* FROM unnest(
                $17::text[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::bytea[], $23::text[], $24::bigint[], $25::bigint[]
            ) AS a (
                message_id, attempt_number, provider, outcome, provider_code, provider_message,
                provider_message_id, latency_us, started_at_us
            )
            WHERE a.message_id IN (SELECT id FROM written)
            ON CONFLICT (message_id, attempt_number) DO UPDATE SET
                provider = excluded.provider, outcome = excluded.outcome, provider_code = excluded.provider_code,
                provider_message = excluded.provider_message, provider_message_id = excluded.provider_message_id,
                latency_us = excluded.latency_us, started_at_us = excluded.started_at_us
            """
    }
}
