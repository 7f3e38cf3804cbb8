import Foundation
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: ReceiptStore {
    /// One transaction: the message is locked while its new status is decided, so two receipts for
    /// it (on two daemons) are applied one after the other.
    package func record(_ receipt: DeliveryReceipt) async throws -> ReceiptOutcome {
        let receivedAt = receipt.receivedAt.microsecondsSince1970
        return try await transaction { connection in
            let match = try await connection.run(
                """
                SELECT id, app, status FROM messages WHERE provider = \(receipt.provider)
                    AND provider_message_id = \(receipt.providerMessageID) LIMIT 1 FOR UPDATE
                """,
                logger: logger
            ).first
            let messageID = try match?.text("id")
            try await connection.run(
                """
                INSERT INTO receipts (provider, provider_message_id, message_id, provider_status, status, error_code, received_at_us)
                VALUES (\(receipt.provider), \(receipt.providerMessageID), \(messageID), \(receipt.providerStatus),
                    \(receipt.status?.rawValue), \(receipt.errorCode), \(receivedAt))
                """,
                logger: logger
            )
            guard let match, let messageID else { return .unknownMessage }
            let current = try match.value("status", table: "messages", as: MessageStatus.self)
            guard let next = MessageLifecycle.next(from: current, receipt: receipt.status) else {
                return .recorded(messageID: messageID, change: nil)
            }
            try await connection.run(
                "UPDATE messages SET status = \(next.rawValue), updated_at_us = greatest(updated_at_us, \(receivedAt)) WHERE id = \(messageID)",
                logger: logger
            )
            let change = ReceiptStatusChange(
                messageID: messageID, app: try match.text("app"), provider: receipt.provider, from: current, to: next,
                at: receipt.receivedAt, errorCode: receipt.errorCode
            )
            return .recorded(messageID: messageID, change: change)
        }
    }

    /// Gives each record the receipts for its provider message id, in arrival order, and the
    /// status they bring it to.
    func attachingReceipts(_ records: [MessageRecord]) async throws -> [MessageRecord] {
        var result: [MessageRecord] = []
        result.reserveCapacity(records.count)
        for record in records {
            guard let provider = record.provider, let id = record.providerMessageID else {
                result.append(record)
                continue
            }
            let rows = try await pool.run(
                """
                SELECT provider_status, status, error_code, received_at_us FROM receipts
                WHERE provider = \(provider) AND provider_message_id = \(id) ORDER BY id
                """,
                logger: logger
            )
            let receipts = try rows.map { row in
                DeliveryReceipt(
                    provider: provider, providerMessageID: id, providerStatus: try row.text("provider_status"),
                    status: try row.optionalText("status").flatMap(MessageStatus.init(rawValue:)),
                    errorCode: try row.optionalText("error_code"), receivedAt: try row.date("received_at_us")
                )
            }
            result.append(receipts.isEmpty ? record : record.withReceipts(receipts))
        }
        return result
    }
}
