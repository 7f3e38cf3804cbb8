package import Foundation
package import SwitchboardCore

/// Keeps messages and the inbox in memory, for tests and `.router` server tests.
///
/// It honours the same contract as ``SQLiteStore``, including keeping dates to the microsecond,
/// so that a test passing against it says something about the real store.
package actor MemoryStore: MessageStore, InboxStore {
    /// A saved record and when it was first saved, which orders records created in the same microsecond.
    struct StoredReceipt {
        var receipt: DeliveryReceipt
        var messageID: String?
    }

    struct Entry {
        var record: MessageRecord
        var insertionOrder: Int
    }

    var messages: [String: Entry] = [:]
    private var nextInsertionOrder = 0
    /// Ordered by sequence, because sequences are handed out in append order.
    var inboxMessages: [InboxMessage] = []
    /// Every receipt in arrival order, with the message it matched when it came (`nil`: none yet).
    var receipts: [StoredReceipt] = []
    private var lastSequence: Int64 = 0

    /// Creates an empty store.
    package init() {}

    package func save(_ record: MessageRecord) {
        var record = record
        record.createdAt = record.createdAt.roundedToMicroseconds
        record.updatedAt = record.updatedAt.roundedToMicroseconds
        for index in record.attempts.indices {
            record.attempts[index].startedAt = record.attempts[index].startedAt.roundedToMicroseconds
        }
        if let existing = messages[record.id] {
            guard record.supersedes(existing.record) else { return }
            messages[record.id] = Entry(record: record, insertionOrder: existing.insertionOrder)
        } else {
            messages[record.id] = Entry(record: record, insertionOrder: nextInsertionOrder)
            nextInsertionOrder += 1
        }
    }

    package func message(id: String) -> MessageRecord? {
        messages[id].map { withReceipts($0.record) }
    }

    package func recentMessages(to: String?, status: MessageStatus?, limit: Int) -> [MessageRecord] {
        guard limit > 0 else { return [] }
        return messages.values
            .filter { (to == nil || $0.record.to == to) && (status == nil || $0.record.status == status) }
            .sorted {
                ($0.record.createdAt, $0.insertionOrder) > ($1.record.createdAt, $1.insertionOrder)
            }
            .prefix(limit)
            .map { withReceipts($0.record) }
    }

    package func markInterrupted(createdBefore cutoff: Date, note: DeliveryAttempt) -> Int {
        var note = note
        note.startedAt = note.startedAt.roundedToMicroseconds
        var marked = 0
        for (id, entry) in messages
        where entry.record.status == .pending && entry.record.createdAt < cutoff && entry.record.updatedAt < cutoff {
            messages[id]?.record.status = .interrupted
            messages[id]?.record.attempts.append(note)
            marked += 1
        }
        return marked
    }

    package func claimQueued(limit: Int, at date: Date) -> [MessageRecord] {
        guard limit > 0 else { return [] }
        let date = date.roundedToMicroseconds
        let oldest = messages.values
            .filter { $0.record.status == .queued }
            .sorted { ($0.record.createdAt, $0.insertionOrder) < ($1.record.createdAt, $1.insertionOrder) }
            .prefix(limit)
        return oldest.map { entry in
            var record = entry.record
            record.status = .pending
            record.updatedAt = date
            messages[record.id]?.record = record
            return record
        }
    }

    package func countQueued() -> Int {
        messages.values.count { $0.record.status == .queued }
    }

    package func deliver(_ message: InboxMessage) -> InboxMessage {
        lastSequence += 1
        var stored = message
        stored.sequence = lastSequence
        stored.receivedAt = message.receivedAt.roundedToMicroseconds
        inboxMessages.append(stored)
        return stored
    }

    package func inbox(to: String?, after sequence: Int64?, limit: Int) -> [InboxMessage] {
        guard limit > 0 else { return [] }
        let cursor = sequence ?? 0
        // Sequences are ordered, so the first message past the cursor can be found by bisection.
        var low = 0
        var high = inboxMessages.count
        while low < high {
            let middle = (low + high) / 2
            if inboxMessages[middle].sequence <= cursor { low = middle + 1 } else { high = middle }
        }
        return Array(inboxMessages[low...].lazy.filter { to == nil || $0.to == to }.prefix(limit))
    }

    package func latestInbox(to: String?, limit: Int) -> [InboxMessage] {
        guard limit > 0 else { return [] }
        return Array(inboxMessages.reversed().lazy.filter { to == nil || $0.to == to }.prefix(limit).reversed())
    }
}

extension MemoryStore: MessageSearch {
    package func messages(matching query: MessageQuery) -> [MessageRecord] {
        guard query.limit > 0 else { return [] }
        var found: [MessageRecord] = []
        for entry in messages.values {
            let record = entry.record
            if let to = query.to, record.to != to { continue }
            if let status = query.status, record.status != status { continue }
            if let provider = query.provider, record.provider != provider { continue }
            if let since = query.since, record.createdAt < since { continue }
            if let after = query.after, record.id >= after { continue }
            found.append(record)
        }
        found.sort { $0.id > $1.id }
        return found.prefix(query.limit).map { withReceipts($0) }
    }
}
