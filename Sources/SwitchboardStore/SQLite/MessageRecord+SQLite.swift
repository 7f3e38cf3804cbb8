import Foundation
import SwitchboardCore

/// How a ``MessageRecord`` and its attempts map to the `messages` and `attempts` tables.
extension MessageRecord {
    /// Inserts `rows` message rows, or replaces the fields of an existing one (its number and
    /// creation time never change: ``newerWinsConflict``), keeping its rowid and so its place among
    /// messages created in the same microsecond; but never replaces a row that
    /// supersedes the save (saves of one message may arrive out of order: ``MessageRecord/supersedes(_:)``).
    /// Binds ``upsertBinds`` of each message in order; rows are applied in order, so a later row for
    /// the same id replaces an earlier one. Returns the ids it wrote, so that only their attempts
    /// are replaced.
    static func upsertSQL(rows: Int) -> String {
        insertSQL(into: "messages", upsertColumns, rows: rows) + "\n" + newerWinsConflict
    }

    /// `INSERT INTO table (columns) VALUES` with `rows` rows of one parameter per column.
    private static func insertSQL(into table: String, _ columns: [String], rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// The columns of ``upsertBinds``, in order.
    private static let upsertColumns = [
        "id", "app", "kind", "to_number", "country", "route", "sender", "logged_text", "encoding", "segments", "status",
        "provider", "provider_message_id", "created_at_us", "updated_at_us",
    ]

    /// ``upsertSQL(rows:)`` for any number of messages.
    static let upsertRows = MultiRowStatement(valuesPerRow: upsertColumns.count, largestPiece: 64, sql: upsertSQL(rows:))

    /// Removes the attempts of any number of messages, binding their ids.
    static let deleteAttemptsRows = MultiRowStatement(valuesPerRow: 1, largestPiece: 64) { count in
        "DELETE FROM attempts WHERE message_id IN (" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    /// Inserts any number of attempts, with ``attemptBinds`` of each message in order.
    static let insertAttemptRows = MultiRowStatement(valuesPerRow: attemptColumns.count, largestPiece: 64) { rows in
        insertSQL(into: "attempts", attemptColumns, rows: rows)
    }

    /// The columns of ``attemptBinds``, in order.
    private static let attemptColumns = [
        "message_id", "attempt_number", "provider", "outcome", "provider_code", "provider_message", "provider_message_id", "latency_us",
        "started_at_us",
    ]

    /// The values bound to ``upsertSQL(rows:)``.
    var upsertBinds: [SQLiteValue] {
        [
            .text(id), .text(app), .text(kind.rawValue), .text(to), .text(country), .text(route),
            .text(sender), .text(loggedText), .text(encoding.rawValue), .integer(segments),
            .text(status.rawValue), provider.map(SQLiteValue.text) ?? .null,
            providerMessageID.map(SQLiteValue.text) ?? .null,
            .integer(.init(createdAt.microsecondsSince1970)), .integer(.init(updatedAt.microsecondsSince1970)),
        ]
    }

    /// The binds of every attempt for ``insertAttemptRows``, numbered from 1 in list order.
    var attemptBinds: [SQLiteValue] {
        var binds: [SQLiteValue] = []
        binds.reserveCapacity(attempts.count * Self.attemptColumns.count)
        for (index, attempt) in attempts.enumerated() {
            binds += [
                .text(id), .integer(index + 1), .text(attempt.provider), .text(attempt.outcome.rawValue),
                attempt.providerCode.map(SQLiteValue.text) ?? .null,
                attempt.providerMessage.map(SQLiteValue.text) ?? .null,
                attempt.providerMessageID.map(SQLiteValue.text) ?? .null,
                .integer(.init(attempt.latencyMicroseconds)), .integer(.init(attempt.startedAt.microsecondsSince1970)),
            ]
        }
        return binds
    }

    /// Messages matching `filter` (a condition on `messages`), newest first, each joined to its
    /// attempts in order. One statement, so the message and its attempts come from one snapshot.
    /// - Parameter byID: Newest first by id (see ``MessageSearch``) rather than by creation time and insertion.
    static func selectSQL(where filter: String, limit: String, byID: Bool = false) -> String {
        let order = byID ? "id DESC" : "created_at_us DESC, rowid DESC"
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
            SELECT rowid AS row_order, * FROM messages WHERE \(filter)
            ORDER BY \(order) LIMIT \(limit)
        ) AS m
        LEFT JOIN attempts AS a ON a.message_id = m.id
        ORDER BY \(outerOrder), a.attempt_number
        """
    }

    /// Rebuilds records from rows of ``selectSQL(where:limit:)``, keeping their order.
    static func records(from rows: [SQLiteRow]) throws -> [MessageRecord] {
        var records: [MessageRecord] = []
        for row in rows {
            let id = try row.text("id", table: "messages")
            if records.last?.id != id {
                records.append(try MessageRecord(row: row, id: id))
            }
            if !row.isNull("a_number") {
                records[records.count - 1].attempts.append(try DeliveryAttempt(row: row))
            }
        }
        return records
    }

    private init(row: SQLiteRow, id: String) throws {
        let table = "messages"
        self.init(
            id: id,
            app: try row.text("app", table: table),
            kind: try row.value("kind", table: table, as: MessageKind.self),
            to: try row.text("to_number", table: table),
            country: try row.text("country", table: table),
            route: try row.text("route", table: table),
            sender: try row.text("sender", table: table),
            loggedText: try row.text("logged_text", table: table),
            encoding: try row.value("encoding", table: table, as: SMSEncoding.self),
            segments: Int(try row.integer("segments", table: table)),
            status: try row.value("status", table: table, as: MessageStatus.self),
            provider: try row.optionalText("provider", table: table),
            providerMessageID: try row.optionalText("provider_message_id", table: table),
            attempts: [],
            createdAt: Date(microsecondsSince1970: try row.integer("created_at_us", table: table)),
            updatedAt: Date(microsecondsSince1970: try row.integer("updated_at_us", table: table))
        )
    }
}

extension DeliveryAttempt {
    /// Reads the `a_`-prefixed attempt columns of a ``MessageRecord/selectSQL(where:limit:)`` row.
    fileprivate init(row: SQLiteRow) throws {
        let table = "attempts"
        self.init(
            provider: try row.text("a_provider", table: table),
            outcome: try row.value("a_outcome", table: table, as: AttemptOutcome.self),
            providerCode: try row.optionalText("a_provider_code", table: table),
            providerMessage: try row.optionalText("a_provider_message", table: table),
            providerMessageID: try row.optionalText("a_provider_message_id", table: table),
            latencyMicroseconds: try row.integer("a_latency_us", table: table),
            startedAt: Date(microsecondsSince1970: try row.integer("a_started_at_us", table: table))
        )
    }
}
