package import Foundation

/// How receipts move a message after a provider accepted it: `accepted < sent < {delivered,
/// undelivered, failed}`. Forward only: a receipt that arrives late (`sent` after `delivered`) or
/// twice changes nothing.
package enum MessageLifecycle {
    /// The statuses a receipt may give a message.
    package static let receiptStatuses: [MessageStatus] = [.sent, .delivered, .undelivered, .failed]

    /// The status after a receipt, or `nil` when the receipt does not move the message.
    /// - Parameters:
    ///   - current: The message's status now.
    ///   - receipt: The receipt's status (`nil`: a provider status the definition does not map).
    package static func next(from current: MessageStatus, receipt: MessageStatus?) -> MessageStatus? {
        guard let receipt, receiptStatuses.contains(receipt), let here = stage(current), let there = stage(receipt), there > here
        else { return nil }
        return receipt
    }

    /// The status `current` comes to after every receipt in order.
    package static func fold(_ current: MessageStatus, receipts: [DeliveryReceipt]) -> MessageStatus {
        receipts.reduce(current) { next(from: $0, receipt: $1.status) ?? $0 }
    }

    private static let finalStage = 3

    /// Where a status stands among those receipts move between; `nil` for those no receipt may
    /// move (never handed to a provider, or the provider's answer never came).
    private static func stage(_ status: MessageStatus) -> Int? {
        switch status {
        case .accepted: 1
        case .sent: 2
        case .delivered, .undelivered, .failed: finalStage
        case .queued, .pending, .interrupted: nil
        }
    }
}

extension MessageRecord {
    /// The record with its status advanced by its receipts: a receipt recorded before the send's
    /// own outcome was saved (a provider may call back within milliseconds) still counts.
    package func withReceipts(_ receipts: [DeliveryReceipt]) -> MessageRecord {
        var record = self
        record.receipts = receipts
        record.status = MessageLifecycle.fold(status, receipts: receipts)
        return record
    }
}

extension MessageRecord {
    /// The statuses the message went through after a provider accepted it, each with when:
    /// `accepted` (when the accepting attempt ended), then every move a receipt made. Empty for a
    /// message no provider accepted.
    package var statusHistory: [(status: MessageStatus, at: Date)] {
        guard let accepting = attempts.last, accepting.outcome == .accepted else { return [] }
        let acceptedAt = accepting.startedAt.addingTimeInterval(Double(accepting.latencyMicroseconds) / 1_000_000)
        var history: [(status: MessageStatus, at: Date)] = [(.accepted, acceptedAt)]
        var current = MessageStatus.accepted
        for receipt in receipts {
            guard let next = MessageLifecycle.next(from: current, receipt: receipt.status) else { continue }
            history.append((next, receipt.receivedAt))
            current = next
        }
        return history
    }
}
