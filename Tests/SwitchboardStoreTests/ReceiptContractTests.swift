import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// Receipts move a stored message forward, never back, on every kind of store; a receipt that
/// overtakes the send's own save still counts; receipts go with their messages when purged.
@Suite("Receipt store contract", .timeLimit(.minutes(3)))
struct ReceiptContractTests {
    /// `Fixtures.record()`: accepted by `twilio` as `SM123`.
    static let accepted = Fixtures.record(id: "msg_receipts")

    static func receipt(_ providerStatus: String, _ status: MessageStatus?, after seconds: Double, error: String? = nil, id: String = "SM123")
        -> DeliveryReceipt
    {
        DeliveryReceipt(
            provider: "twilio", providerMessageID: id, providerStatus: providerStatus, status: status, errorCode: error,
            receivedAt: accepted.updatedAt.addingTimeInterval(seconds)
        )
    }

    func withReceiptStore(_ kind: StoreKind, _ body: (any MessageStore & InboxStore, any ReceiptStore) async throws -> Void) async throws {
        try await kind.withStore { store in
            let receipts = try #require(store as? any ReceiptStore)
            try await body(store, receipts)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReceiptMovesTheMessageForwardAndSaysSo(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            try await store.save(Self.accepted)
            let sent = Self.receipt("sent", .sent, after: 1)
            let outcome = try await receipts.record(sent)
            let change = ReceiptStatusChange(
                messageID: "msg_receipts", app: "acme", provider: "twilio", from: .accepted, to: .sent, at: sent.receivedAt, errorCode: nil
            )
            #expect(outcome == .recorded(messageID: "msg_receipts", change: change))
            let stored = try #require(try await store.message(id: "msg_receipts"))
            #expect(stored.status == .sent)
            #expect(stored.receipts == [sent])
            #expect(stored.updatedAt == sent.receivedAt)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLateSentAfterDeliveredIsRecordedAndMovesNothing(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            try await store.save(Self.accepted)
            let delivered = Self.receipt("delivered", .delivered, after: 2)
            let late = Self.receipt("sent", .sent, after: 3)
            _ = try await receipts.record(delivered)
            let outcome = try await receipts.record(late)
            #expect(outcome == .recorded(messageID: "msg_receipts", change: nil))
            let stored = try #require(try await store.message(id: "msg_receipts"))
            #expect(stored.status == .delivered)
            #expect(stored.receipts == [delivered, late])
            #expect(stored.statusHistory.map(\.status) == [.accepted, .delivered])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theSameReceiptTwiceChangesTheMessageOnce(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            try await store.save(Self.accepted)
            let failed = Self.receipt("failed", .failed, after: 1, error: "30008")
            let first = try await receipts.record(failed)
            let second = try await receipts.record(failed)
            #expect(first != .recorded(messageID: "msg_receipts", change: nil))
            #expect(second == .recorded(messageID: "msg_receipts", change: nil))
            let stored = try #require(try await store.message(id: "msg_receipts"))
            #expect(stored.status == .failed)
            #expect(stored.receipts.map(\.errorCode) == ["30008", "30008"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReceiptBeforeTheSendsFinalSaveStillGivesTheStatus(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            // The pending record is all the store has when the provider calls back.
            try await store.save(OutOfOrderSaveTests.pending(of: Self.accepted))
            let delivered = Self.receipt("delivered", .delivered, after: -0.5)
            #expect(try await receipts.record(delivered) == .unknownMessage)
            try await store.save(Self.accepted)
            let stored = try #require(try await store.message(id: "msg_receipts"))
            #expect(stored.status == .delivered)
            #expect(stored.receipts == [delivered])
            let listed = try await store.recentMessages(to: nil, limit: 10)
            #expect(listed.map(\.status) == [.delivered])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLateSaveOfTheSendNeverUndoesAReceipt(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            try await store.save(Self.accepted)
            _ = try await receipts.record(Self.receipt("delivered", .delivered, after: 1))
            // The same outcome saved again, and the pending record arriving last.
            try await store.save(Self.accepted)
            try await store.save(OutOfOrderSaveTests.pending(of: Self.accepted))
            let stored = try #require(try await store.message(id: "msg_receipts"))
            #expect(stored.status == .delivered)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReceiptOfAnotherProviderInstanceDoesNotMatch(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            try await store.save(Self.accepted)
            var other = Self.receipt("delivered", .delivered, after: 1)
            other.provider = "twilio-eu"
            #expect(try await receipts.record(other) == .unknownMessage)
            #expect(try await store.message(id: "msg_receipts")?.status == .accepted)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anUnmappedStatusIsRecordedAndMovesNothing(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            try await store.save(Self.accepted)
            let queued = Self.receipt("queued", nil, after: 1)
            #expect(try await receipts.record(queued) == .recorded(messageID: "msg_receipts", change: nil))
            let stored = try #require(try await store.message(id: "msg_receipts"))
            #expect(stored.status == .accepted)
            #expect(stored.receipts == [queued])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func receiptsArePurgedWithTheirMessages(kind: StoreKind) async throws {
        try await withReceiptStore(kind) { store, receipts in
            let retention = try #require(store as? any RetentionStore)
            try await store.save(Self.accepted)
            _ = try await receipts.record(Self.receipt("delivered", .delivered, after: 1))
            // A receipt no message has, as old.
            _ = try await receipts.record(Self.receipt("delivered", .delivered, after: 1, id: "SM-nobody"))
            let cutoff = Self.accepted.updatedAt.addingTimeInterval(3600)
            #expect(try await retention.purge(.messages, endedBefore: cutoff, limit: 100) == 1)
            // Saved again under the same provider id, the message has no receipts left to show.
            try await store.save(Self.accepted)
            #expect(try await store.message(id: "msg_receipts")?.receipts == [])
            var orphan = Self.accepted
            orphan.id = "msg_orphan"
            orphan.providerMessageID = "SM-nobody"
            orphan.attempts = []
            try await store.save(orphan)
            #expect(try await store.message(id: "msg_orphan")?.receipts == [])
        }
    }
}
