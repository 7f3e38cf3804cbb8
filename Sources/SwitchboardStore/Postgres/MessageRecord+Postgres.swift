import Foundation
import PostgresNIO
import SwitchboardCore

/// How a ``MessageRecord`` and its attempts map to the `messages` and `attempts` tables.
extension MessageRecord {
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
