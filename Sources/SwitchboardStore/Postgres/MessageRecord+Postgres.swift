import Foundation
import PostgresNIO
import SwitchboardCore

/// How a ``MessageRecord`` and its attempts map to the `messages` and `attempts` tables.
extension MessageRecord {
    /// The whole save in one statement, so one round trip and its own commit: inserts the message
    /// or replaces every field of the stored one (keeping its `row_order`), unless the stored one
    /// supersedes it (``MessageRecord/supersedes(_:)``); only when it wrote, replaces the attempts.
    ///
    /// The attempts are upserted by number and those past the last deleted, rather than all deleted
    /// and inserted again: the statement's parts run in an order PostgreSQL does not promise, and a
    /// delete and an insert of one key in one statement would meet in the primary key.
    /// The delete sees the statement's snapshot, not attempts a concurrent save committed since; no
    /// two saves of one message write attempts at once (the pending save has none, and the sweep of
    /// interrupted messages only takes those older than the delivery deadline).
    static func saveQuery(_ record: MessageRecord) throws -> PostgresQuery {
        var query: PostgresQuery = try """
            WITH written AS (
                INSERT INTO messages (
                    id, app, kind, to_number, country, route, sender, logged_text, encoding, segments, status,
                    provider, provider_message_id, created_at_us, updated_at_us
                ) VALUES (
                    \(record.id), \(record.app), \(record.kind.rawValue), \(record.to), \(record.country), \(record.route),
                    \(record.sender), \(Data(record.loggedText.utf8)), \(record.encoding.rawValue), \(record.segments), \(record.status.rawValue),
                    \(record.provider), \(record.providerMessageID), \(record.createdAt.microsecondsSince1970),
                    \(record.updatedAt.microsecondsSince1970)
                )
                ON CONFLICT (id) DO UPDATE SET
                    app = excluded.app, kind = excluded.kind, to_number = excluded.to_number,
                    country = excluded.country, route = excluded.route, sender = excluded.sender,
                    logged_text = excluded.logged_text, encoding = excluded.encoding, segments = excluded.segments,
                    status = excluded.status, provider = excluded.provider,
                    provider_message_id = excluded.provider_message_id,
                    created_at_us = excluded.created_at_us, updated_at_us = excluded.updated_at_us
                WHERE excluded.updated_at_us > messages.updated_at_us
                    OR (excluded.updated_at_us = messages.updated_at_us
                        AND (excluded.status <> 'pending' OR messages.status = 'pending'))
                RETURNING id
            )

            """
        guard !record.attempts.isEmpty else {
            query.sql += "DELETE FROM attempts WHERE message_id IN (SELECT id FROM written)"
            return query
        }
        query.binds.append(record.attempts.count)
        let keep = query.binds.count
        let rows = try record.attemptRows(into: &query.binds)
        query.sql += """
            , dropped AS (
                DELETE FROM attempts WHERE message_id IN (SELECT id FROM written) AND attempt_number > $\(keep)
            )
            INSERT INTO attempts (
                message_id, attempt_number, provider, outcome, provider_code, provider_message,
                provider_message_id, latency_us, started_at_us
            )
            SELECT written.id, a.* FROM written CROSS JOIN (VALUES \(rows)) AS a (
                attempt_number, provider, outcome, provider_code, provider_message, provider_message_id, latency_us, started_at_us
            )
            ON CONFLICT (message_id, attempt_number) DO UPDATE SET
                provider = excluded.provider, outcome = excluded.outcome, provider_code = excluded.provider_code,
                provider_message = excluded.provider_message, provider_message_id = excluded.provider_message_id,
                latency_us = excluded.latency_us, started_at_us = excluded.started_at_us
            """
        return query
    }

    /// The `VALUES` rows of every attempt, numbered from 1 in list order, their values appended to
    /// `binds`. Each placeholder is cast: a `VALUES` list outside an `INSERT` takes no type from
    /// the columns, and a null would otherwise be text.
    private func attemptRows(into binds: inout PostgresBindings) throws -> String {
        let types = ["integer", "text", "text", "text", "bytea", "text", "bigint", "bigint"]
        var rows: [String] = []
        for (index, attempt) in attempts.enumerated() {
            let first = binds.count + 1
            rows.append("(" + types.enumerated().map { "$\(first + $0.offset)::\($0.element)" }.joined(separator: ", ") + ")")
            binds.append(index + 1)
            binds.append(attempt.provider)
            binds.append(attempt.outcome.rawValue)
            binds.append(attempt.providerCode)
            try binds.append(attempt.providerMessage.map { Data($0.utf8) })
            binds.append(attempt.providerMessageID)
            binds.append(attempt.latencyMicroseconds)
            binds.append(attempt.startedAt.microsecondsSince1970)
        }
        return rows.joined(separator: ", ")
    }

    /// Messages matching `filter` (a condition on `messages`), newest first, each joined to its
    /// attempts in order. One statement, so the message and its attempts come from one snapshot.
    /// - Parameter byID: Newest first by id (see ``MessageSearch``) rather than by creation time and insertion.
    static func postgresSelectSQL(where filter: String, limit: String, byID: Bool = false) -> String {
        let order = byID ? "id DESC" : "created_at_us DESC, row_order DESC"
        let outerOrder = byID ? "m.id DESC" : "m.created_at_us DESC, m.row_order DESC"
        return """
        SELECT m.id, m.app, m.kind, m.to_number, m.country, m.route, m.sender,
            m.logged_text, m.encoding, m.segments, m.status, m.provider,
            m.provider_message_id, m.created_at_us, m.updated_at_us,
            a.attempt_number AS a_number, a.provider AS a_provider, a.outcome AS a_outcome,
            a.provider_code AS a_provider_code, a.provider_message AS a_provider_message,
            a.provider_message_id AS a_provider_message_id, a.latency_us AS a_latency_us,
            a.started_at_us AS a_started_at_us
        FROM (
            SELECT * FROM messages WHERE \(filter)
            ORDER BY \(order) LIMIT \(limit)
        ) AS m
        LEFT JOIN attempts AS a ON a.message_id = m.id
        ORDER BY \(outerOrder), a.attempt_number
        """
    }

    /// Rebuilds records from rows of ``postgresSelectSQL(where:limit:)``, keeping their order.
    static func records(from rows: [PostgresRandomAccessRow]) throws -> [MessageRecord] {
        var records: [MessageRecord] = []
        for row in rows {
            let id = try row.text("id")
            if records.last?.id != id {
                records.append(try MessageRecord(row: row, id: id))
            }
            if !row.isNull("a_number") {
                records[records.count - 1].attempts.append(try DeliveryAttempt(row: row))
            }
        }
        return records
    }

    private init(row: PostgresRandomAccessRow, id: String) throws {
        let table = "messages"
        self.init(
            id: id,
            app: try row.text("app"),
            kind: try row.value("kind", table: table, as: MessageKind.self),
            to: try row.text("to_number"),
            country: try row.text("country"),
            route: try row.text("route"),
            sender: try row.text("sender"),
            loggedText: try row.utf8("logged_text"),
            encoding: try row.value("encoding", table: table, as: SMSEncoding.self),
            segments: Int(try row.integer("segments")),
            status: try row.value("status", table: table, as: MessageStatus.self),
            provider: try row.optionalText("provider"),
            providerMessageID: try row.optionalText("provider_message_id"),
            attempts: [],
            createdAt: try row.date("created_at_us"),
            updatedAt: try row.date("updated_at_us")
        )
    }
}

extension DeliveryAttempt {
    /// Reads the `a_`-prefixed attempt columns of a ``MessageRecord/postgresSelectSQL(where:limit:)`` row.
    fileprivate init(row: PostgresRandomAccessRow) throws {
        self.init(
            provider: try row.text("a_provider"),
            outcome: try row.value("a_outcome", table: "attempts", as: AttemptOutcome.self),
            providerCode: try row.optionalText("a_provider_code"),
            providerMessage: try row.optionalUTF8("a_provider_message"),
            providerMessageID: try row.optionalText("a_provider_message_id"),
            latencyMicroseconds: try row.integer("a_latency_us"),
            startedAt: try row.date("a_started_at_us")
        )
    }
}
