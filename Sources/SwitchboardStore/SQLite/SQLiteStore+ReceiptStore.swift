import Foundation
package import SwitchboardCore

extension SQLiteStore: ReceiptStore {
    /// One transaction of the writer's: the receipt row, and the message's new status with it.
    package func record(_ receipt: DeliveryReceipt) async throws -> ReceiptOutcome {
        let receivedAt = SQLiteValue.integer(.init(receipt.receivedAt.microsecondsSince1970))
        return try await writer.inTransaction { database in
            let match = try database.first(
                "SELECT id, app, status FROM messages WHERE provider = ?1 AND provider_message_id = ?2 LIMIT 1",
                [.text(receipt.provider), .text(receipt.providerMessageID)]
            )
            let messageID = try match?.text("id", table: "messages")
            try database.execute(
                """
                INSERT INTO receipts (provider, provider_message_id, message_id, provider_status, status, error_code, received_at_us)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """,
                [
                    .text(receipt.provider), .text(receipt.providerMessageID), messageID.map(SQLiteValue.text) ?? .null,
                    .text(receipt.providerStatus), receipt.status.map { .text($0.rawValue) } ?? .null,
                    receipt.errorCode.map(SQLiteValue.text) ?? .null, receivedAt,
                ]
            )
            guard let match, let messageID else { return .unknownMessage }
            let current = try match.value("status", table: "messages", as: MessageStatus.self)
            guard let next = MessageLifecycle.next(from: current, receipt: receipt.status) else {
                return .recorded(messageID: messageID, change: nil)
            }
            try database.execute(
                "UPDATE messages SET status = ?2, updated_at_us = max(updated_at_us, ?3) WHERE id = ?1",
                [.text(messageID), .text(next.rawValue), receivedAt]
            )
            let change = ReceiptStatusChange(
                messageID: messageID, app: try match.text("app", table: "messages"), provider: receipt.provider, from: current, to: next,
                at: receipt.receivedAt, errorCode: receipt.errorCode
            )
            return .recorded(messageID: messageID, change: change)
        }
    }
}

extension MessageRecord {
    /// Gives each record the receipts for its provider message id, in arrival order, and the
    /// status they bring it to. One query per record that has an id: reads of the log, not sends.
    static func attachingReceipts(_ records: [MessageRecord], in database: SQLiteDatabase) throws -> [MessageRecord] {
        try records.map { record in
            guard let provider = record.provider, let id = record.providerMessageID else { return record }
            let rows = try database.query(
                """
                SELECT provider_status, status, error_code, received_at_us FROM receipts
                WHERE provider = ?1 AND provider_message_id = ?2 ORDER BY id
                """,
                [.text(provider), .text(id)]
            )
            guard !rows.isEmpty else { return record }
            let receipts = try rows.map { row in
                DeliveryReceipt(
                    provider: provider, providerMessageID: id, providerStatus: try row.text("provider_status", table: "receipts"),
                    status: try row.optionalText("status", table: "receipts").flatMap(MessageStatus.init(rawValue:)),
                    errorCode: try row.optionalText("error_code", table: "receipts"),
                    receivedAt: Date(microsecondsSince1970: try row.integer("received_at_us", table: "receipts"))
                )
            }
            return record.withReceipts(receipts)
        }
    }
}
