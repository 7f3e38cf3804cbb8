package import Foundation
import Logging
import PostgresNIO
package import SwitchboardCore

/// The webhook outbox in the shared database. Claims lock the rows they take (`FOR UPDATE SKIP
/// LOCKED`) and move their next try past a lease, so daemons sharing the database deliver each
/// event once per try; an app's queue bound is counted under an advisory lock on the app.
extension PostgresStore: WebhookStore {
    package func insertWebhookEvent(_ event: WebhookEvent, maxPending: Int) async throws -> Bool {
        try await transaction { connection in
            try await connection.lock(AdvisoryLock.webhookQueue(app: event.app), logger: logger)
            let counted = try await connection.run(
                "SELECT count(*) AS pending FROM webhook_events WHERE app = \(event.app) AND state = 'pending'", logger: logger
            )
            guard Int(try counted.first?.integer("pending") ?? 0) < maxPending else { return false }
            try await connection.run(
                """
                INSERT INTO webhook_events (id, app, type, format, url, body, state, attempts, created_at_us, next_attempt_at_us, expires_at_us, last_error)
                VALUES (\(event.id), \(event.app), \(event.type), \(event.format.rawValue), \(event.url), \(event.body), \(event.state.rawValue),
                    \(event.attempts), \(event.createdAt.microsecondsSince1970), \(event.nextAttemptAt.microsecondsSince1970),
                    \(event.expiresAt.microsecondsSince1970), \(event.lastError))
                """,
                logger: logger
            )
            return true
        }
    }

    package func claimDueWebhookEvents(limit: Int, now: Date, leaseUntil: Date) async throws -> [WebhookEvent] {
        guard limit > 0 else { return [] }
        let now = now.microsecondsSince1970
        let lease = leaseUntil.microsecondsSince1970
        return try await transaction { connection in
            let due = try await connection.run(
                """
                SELECT * FROM webhook_events WHERE state = 'pending' AND next_attempt_at_us <= \(now)
                ORDER BY next_attempt_at_us, row_order LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).map(WebhookEvent.init(postgresRow:))
            guard !due.isEmpty else { return [] }
            let ids = due.map(\.id)
            try await connection.run("UPDATE webhook_events SET next_attempt_at_us = \(lease) WHERE id = ANY(\(ids))", logger: logger)
            return due
        }
    }

    package func recordWebhookAttempt(id: String, result: WebhookAttemptResult) async throws {
        let (state, at, error) = result.stored
        try await pool.run(
            """
            UPDATE webhook_events SET attempts = attempts + 1, state = \(state.rawValue), next_attempt_at_us = \(at.microsecondsSince1970),
                last_error = \(error) WHERE id = \(id)
            """,
            logger: logger
        )
    }

    package func webhookEvent(id: String) async throws -> WebhookEvent? {
        try await pool.run("SELECT * FROM webhook_events WHERE id = \(id)", logger: logger).first.map(WebhookEvent.init(postgresRow:))
    }

    package func webhookEvents(state: WebhookEvent.State, app: String?, limit: Int) async throws -> [WebhookEvent] {
        guard limit > 0 else { return [] }
        return try await pool.run(
            """
            SELECT * FROM webhook_events WHERE state = \(state.rawValue) AND (\(app)::text IS NULL OR app = \(app))
            ORDER BY created_at_us DESC, row_order DESC LIMIT \(limit)
            """,
            logger: logger
        ).map(WebhookEvent.init(postgresRow:))
    }

    package func redeliverWebhookEvent(id: String, now: Date, expiresAt: Date) async throws -> Bool {
        let rows = try await pool.run(
            """
            UPDATE webhook_events SET state = 'pending', next_attempt_at_us = \(now.microsecondsSince1970),
                expires_at_us = \(expiresAt.microsecondsSince1970)
            WHERE id = \(id) AND state = 'dead' RETURNING id
            """,
            logger: logger
        )
        return !rows.isEmpty
    }

    package func purgeWebhookEvents(endedBefore cutoff: Date, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let rows = try await pool.run(
            """
            DELETE FROM webhook_events WHERE id IN (
                SELECT id FROM webhook_events WHERE state <> 'pending' AND next_attempt_at_us < \(cutoff.microsecondsSince1970)
                LIMIT \(limit) FOR UPDATE SKIP LOCKED
            ) RETURNING id
            """,
            logger: logger
        )
        return rows.count
    }

    package func pendingWebhookEventCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await pool.run("SELECT app, count(*) AS pending FROM webhook_events WHERE state = 'pending' GROUP BY app", logger: logger) {
            counts[try row.text("app")] = Int(try row.integer("pending"))
        }
        return counts
    }

    package func saveStatusCallback(messageID: String, url: String) async throws {
        try await pool.run(
            "INSERT INTO status_callbacks (message_id, url) VALUES (\(messageID), \(url)) ON CONFLICT (message_id) DO UPDATE SET url = excluded.url",
            logger: logger
        )
    }

    package func statusCallback(messageID: String) async throws -> String? {
        try await pool.run("SELECT url FROM status_callbacks WHERE message_id = \(messageID)", logger: logger).first?.text("url")
    }
}

extension AdvisoryLock {
    /// An app's webhook queue: its pending events are counted and added to one at a time.
    static func webhookQueue(app: String) -> String { "webhooks\u{1F}\(app)" }
}

extension WebhookEvent {
    init(postgresRow row: PostgresRandomAccessRow) throws {
        let table = "webhook_events"
        self.init(
            id: try row.text("id"), app: try row.text("app"), type: try row.text("type"), format: try row.value("format", table: table, as: Format.self),
            url: try row.text("url"), body: try row.text("body"), createdAt: try row.date("created_at_us"), expiresAt: try row.date("expires_at_us")
        )
        state = try row.value("state", table: table, as: State.self)
        attempts = Int(try row.integer("attempts"))
        nextAttemptAt = try row.date("next_attempt_at_us")
        lastError = try row.optionalText("last_error")
    }
}
