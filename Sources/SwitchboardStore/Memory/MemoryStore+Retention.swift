package import Foundation
package import SwitchboardCore

extension MemoryStore: RetentionStore {
    package func purge(_ kind: RetainedKind, endedBefore cutoff: Date, limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        switch kind {
        case .messages:
            let due = purgeableMessages(before: cutoff).prefix(limit)
            for entry in due { messages[entry.record.id] = nil }
            // Receipts go with their messages; those that matched none go once as old.
            let gone = Set(due.map(\.record.id))
            receipts.removeAll { stored in
                stored.messageID.map { gone.contains($0) } ?? (stored.receipt.receivedAt < cutoff)
            }
            return due.count
        case .inbox:
            // Oldest first: the inbox is in sequence order.
            let due = inboxMessages.indices.filter { inboxMessages[$0].receivedAt < cutoff }.prefix(limit)
            let removed = Set(due)
            inboxMessages = inboxMessages.indices.filter { !removed.contains($0) }.map { inboxMessages[$0] }
            return removed.count
        case .sessions, .challenges:
            return 0
        }
    }

    package func countPurgeable(_ kind: RetainedKind, endedBefore cutoff: Date) -> Int {
        switch kind {
        case .messages: purgeableMessages(before: cutoff).count
        case .inbox: inboxMessages.count { $0.receivedAt < cutoff }
        case .sessions, .challenges: 0
        }
    }

    package func reclaimSpace() {}

    private func purgeableMessages(before cutoff: Date) -> [Entry] {
        messages.values
            .filter { $0.record.createdAt < cutoff && MessageStatus.purgeable.contains($0.record.status) }
            .sorted { ($0.record.createdAt, $0.insertionOrder) < ($1.record.createdAt, $1.insertionOrder) }
    }
}

extension MemoryLoginStore: RetentionStore {
    package func purge(_ kind: RetainedKind, endedBefore cutoff: Date, limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        switch kind {
        case .sessions:
            let due = endedSessions(before: cutoff).prefix(limit)
            let ids = Set(due.map(\.id))
            for id in ids { sessions[id] = nil }
            refreshTokens = refreshTokens.filter { !ids.contains($0.value.sessionID) }
            return ids.count
        case .challenges:
            let due = expiredChallenges(before: cutoff).prefix(limit)
            for (key, _) in due { challenges[key] = nil }
            return due.count
        case .messages, .inbox:
            return 0
        }
    }

    package func countPurgeable(_ kind: RetainedKind, endedBefore cutoff: Date) -> Int {
        switch kind {
        case .sessions: endedSessions(before: cutoff).count
        case .challenges: expiredChallenges(before: cutoff).count
        case .messages, .inbox: 0
        }
    }

    package func reclaimSpace() {}

    /// When each session ended: when it was revoked, else when its last refresh token expired
    /// (else, with none, when it was created).
    private func endedSessions(before cutoff: Date) -> [UserSession] {
        var lastExpiry: [String: Date] = [:]
        for token in refreshTokens.values {
            lastExpiry[token.sessionID] = max(lastExpiry[token.sessionID] ?? token.expiresAt, token.expiresAt)
        }
        return sessions.values
            .map { ($0, $0.revokedAt ?? lastExpiry[$0.id] ?? $0.createdAt) }
            .filter { $0.1 < cutoff }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            .map(\.0)
    }

    private func expiredChallenges(before cutoff: Date) -> [(key: String, value: OTPChallenge)] {
        challenges.filter { $0.value.expiresAt < cutoff }.sorted { ($0.value.expiresAt, $0.key) < ($1.value.expiresAt, $1.key) }
    }
}
