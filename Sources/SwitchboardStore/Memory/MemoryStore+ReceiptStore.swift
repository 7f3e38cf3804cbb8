package import SwitchboardCore

extension MemoryStore: ReceiptStore {
    package func record(_ receipt: DeliveryReceipt) -> ReceiptOutcome {
        var receipt = receipt
        receipt.receivedAt = receipt.receivedAt.roundedToMicroseconds
        let match = messages.values.first {
            $0.record.provider == receipt.provider && $0.record.providerMessageID == receipt.providerMessageID
        }
        receipts.append(StoredReceipt(receipt: receipt, messageID: match?.record.id))
        guard let match else { return .unknownMessage }
        var record = match.record
        guard let next = MessageLifecycle.next(from: record.status, receipt: receipt.status) else {
            return .recorded(messageID: record.id, change: nil)
        }
        let change = ReceiptStatusChange(
            messageID: record.id, app: record.app, provider: receipt.provider, from: record.status, to: next, at: receipt.receivedAt,
            errorCode: receipt.errorCode
        )
        record.status = next
        record.updatedAt = max(record.updatedAt, receipt.receivedAt)
        messages[record.id]?.record = record
        return .recorded(messageID: record.id, change: change)
    }

    /// The record with the receipts for its provider message id, and the status they give it.
    func withReceipts(_ record: MessageRecord) -> MessageRecord {
        guard let provider = record.provider, let id = record.providerMessageID else { return record }
        let found = receipts.lazy.filter { $0.receipt.provider == provider && $0.receipt.providerMessageID == id }.map(\.receipt)
        return found.isEmpty ? record : record.withReceipts(Array(found))
    }
}
