package import Foundation
package import SwitchboardCore

/// The webhook outbox in the SQLite file. Every write goes through the one writer, so a claim's
/// choice and update are never interleaved with another daemon's (SQLite's write lock).
extension SQLiteStore: WebhookStore {
    package func insertWebhookEvent(_ event: WebhookEvent, maxPending: Int) async throws -> Bool {
        let values = WebhookEvent.sqliteValues(event)
        return try await writer.inTransaction { connection in
            let counted = try connection.first(
                "SELECT count(*) AS pending FROM webhook_events WHERE app = ?1 AND state = 'pending'", [.text(event.app)]
            )
            guard Int(try counted?.integer("pending", table: "webhook_events") ?? 0) < maxPending else { return false }
            try connection.execute(WebhookEvent.sqliteInsertSQL, values)
            return true
        }
    }

    package func claimDueWebhookEvents(limit: Int, now: Date, leaseUntil: Date) async throws -> [WebhookEvent] {
        guard limit > 0 else { return [] }
        let now = Int(now.microsecondsSince1970)
        let lease = Int(leaseUntil.microsecondsSince1970)
        return try await writer.inTransaction { connection in
            let due = try connection.query(
                "SELECT * FROM webhook_events WHERE state = 'pending' AND next_attempt_at_us <= ?1 ORDER BY next_attempt_at_us, rowid LIMIT ?2",
                [.integer(now), .integer(limit)]
            ).map(WebhookEvent.init(sqliteRow:))
            for event in due {
                try connection.execute("UPDATE webhook_events SET next_attempt_at_us = ?1 WHERE id = ?2", [.integer(lease), .text(event.id)])
            }
            return due
        }
    }

    package func recordWebhookAttempt(id: String, result: WebhookAttemptResult) async throws {
        let (state, at, error) = result.stored
        try await writer.inTransaction { connection in
            try connection.execute(
                "UPDATE webhook_events SET attempts = attempts + 1, state = ?1, next_attempt_at_us = ?2, last_error = ?3 WHERE id = ?4",
                [.text(state.rawValue), .integer(Int(at.microsecondsSince1970)), error.map { .text($0) } ?? .null, .text(id)]
            )
        }
    }

    package func webhookEvent(id: String) async throws -> WebhookEvent? {
        try await read { database in
            try database.first("SELECT * FROM webhook_events WHERE id = ?1", [.text(id)]).map(WebhookEvent.init(sqliteRow:))
        }
    }

    package func webhookEvents(state: WebhookEvent.State, app: String?, limit: Int) async throws -> [WebhookEvent] {
        guard limit > 0 else { return [] }
        return try await read { database in
            try database.query(
                """
                SELECT * FROM webhook_events WHERE state = ?1 AND (?2 IS NULL OR app = ?2)
                ORDER BY created_at_us DESC, rowid DESC LIMIT ?3
                """,
                [.text(state.rawValue), app.map { .text($0) } ?? .null, .integer(limit)]
            ).map(WebhookEvent.init(sqliteRow:))
        }
    }

    package func redeliverWebhookEvent(id: String, now: Date, expiresAt: Date) async throws -> Bool {
        let binds: [SQLiteValue] = [.integer(Int(now.microsecondsSince1970)), .integer(Int(expiresAt.microsecondsSince1970)), .text(id)]
        return try await writer.inTransaction { connection in
            let rows = try connection.query(
                """
                UPDATE webhook_events SET state = 'pending', next_attempt_at_us = ?1, expires_at_us = ?2
                WHERE id = ?3 AND state = 'dead' RETURNING id
                """,
                binds
            )
            return !rows.isEmpty
        }
    }

    package func purgeWebhookEvents(endedBefore cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let binds: [SQLiteValue] = [.integer(Int(cutoff.microsecondsSince1970)), .integer(limit)]
        return try await writer.inTransaction { connection -> Int in
            try connection.query(
                """
                DELETE FROM webhook_events WHERE rowid IN (
                    SELECT rowid FROM webhook_events WHERE state <> 'pending' AND next_attempt_at_us < ?1 LIMIT ?2
                ) RETURNING id
                """,
                binds
            ).count
        }
    }

    package func pendingWebhookEventCounts() async throws -> [String: Int] {
        try await read { database in
            var counts: [String: Int] = [:]
            for row in try database.query("SELECT app, count(*) AS pending FROM webhook_events WHERE state = 'pending' GROUP BY app") {
                counts[try row.text("app", table: "webhook_events")] = Int(try row.integer("pending", table: "webhook_events"))
            }
            return counts
        }
    }

    package func saveStatusCallback(messageID: String, url: String) async throws {
        try await writer.inTransaction { connection in
            try connection.execute(
                "INSERT INTO status_callbacks (message_id, url) VALUES (?1, ?2) ON CONFLICT (message_id) DO UPDATE SET url = excluded.url",
                [.text(messageID), .text(url)]
            )
        }
    }

    package func statusCallback(messageID: String) async throws -> String? {
        try await read { database in
            try database.first("SELECT url FROM status_callbacks WHERE message_id = ?1", [.text(messageID)])?.text("url", table: "status_callbacks")
        }
    }
}

extension WebhookEvent {
    static let sqliteInsertSQL = """
        INSERT INTO webhook_events (id, app, type, format, url, body, state, attempts, created_at_us, next_attempt_at_us, expires_at_us, last_error)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
        """

    static func sqliteValues(_ event: WebhookEvent) -> [SQLiteValue] {
        [
            .text(event.id), .text(event.app), .text(event.type), .text(event.format.rawValue), .text(event.url), .text(event.body),
            .text(event.state.rawValue), .integer(event.attempts), .integer(Int(event.createdAt.microsecondsSince1970)),
            .integer(Int(event.nextAttemptAt.microsecondsSince1970)), .integer(Int(event.expiresAt.microsecondsSince1970)),
            event.lastError.map { .text($0) } ?? .null,
        ]
    }

    init(sqliteRow row: SQLiteRow) throws {
        let table = "webhook_events"
        self.init(
            id: try row.text("id", table: table), app: try row.text("app", table: table), type: try row.text("type", table: table),
            format: try row.value("format", table: table, as: Format.self), url: try row.text("url", table: table),
            body: try row.text("body", table: table), createdAt: try row.date("created_at_us", table: table),
            expiresAt: try row.date("expires_at_us", table: table)
        )
        state = try row.value("state", table: table, as: State.self)
        attempts = Int(try row.integer("attempts", table: table))
        nextAttemptAt = try row.date("next_attempt_at_us", table: table)
        lastError = try row.optionalText("last_error", table: table)
    }
}

extension WebhookAttemptResult {
    /// The state, time and error a result leaves on its event.
    var stored: (WebhookEvent.State, Date, String?) {
        switch self {
        case .delivered(let at): (.delivered, at, nil)
        case .retry(let next, let error): (.pending, next, error)
        case .dead(let at, let error): (.dead, at, error)
        }
    }
}
