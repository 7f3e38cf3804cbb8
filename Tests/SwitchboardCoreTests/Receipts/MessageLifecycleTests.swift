import Foundation
import SwitchboardCore
import Testing

/// `accepted < sent < {delivered, undelivered, failed}`: receipts move a message forward only.
@Suite("Message lifecycle")
struct MessageLifecycleTests {
    @Test(arguments: [
        (MessageStatus.accepted, MessageStatus.sent, MessageStatus?.some(.sent)),
        (.accepted, .delivered, .delivered),
        (.accepted, .failed, .failed),
        (.sent, .undelivered, .undelivered),
        (.sent, .sent, nil),
        (.delivered, .sent, nil),
        (.delivered, .failed, nil),
        (.undelivered, .delivered, nil),
        (.failed, .delivered, nil),
        (.pending, .delivered, nil),
        (.queued, .sent, nil),
        (.interrupted, .delivered, nil),
    ])
    func aReceiptMovesForwardOnly(current: MessageStatus, receipt: MessageStatus, expected: MessageStatus?) {
        #expect(MessageLifecycle.next(from: current, receipt: receipt) == expected)
    }

    @Test func anUnmappedStatusMovesNothing() {
        #expect(MessageLifecycle.next(from: .accepted, receipt: nil) == nil)
    }

    @Test func onlyReceiptStatusesAreReceiptMoves() {
        // A definition cannot map to these, but a store must not take them from a receipt either.
        for status in [MessageStatus.accepted, .pending, .queued, .interrupted] {
            #expect(MessageLifecycle.next(from: .accepted, receipt: status) == nil)
        }
    }

    @Test func theHistoryListsEachMoveWithItsTime() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var record = MessageRecord(
            id: "m", app: "a", kind: .transactional, to: "+447700900123", country: "GB", route: "r", sender: "S", loggedText: "t",
            encoding: .gsm7, segments: 1, status: .accepted, provider: "twilio", providerMessageID: "SM1",
            attempts: [DeliveryAttempt(provider: "twilio", outcome: .accepted, providerMessageID: "SM1", latencyMicroseconds: 250_000, startedAt: start)],
            createdAt: start, updatedAt: start
        )
        func receipt(_ status: MessageStatus?, _ seconds: Double) -> DeliveryReceipt {
            DeliveryReceipt(
                provider: "twilio", providerMessageID: "SM1", providerStatus: status?.rawValue ?? "queued", status: status, errorCode: nil,
                receivedAt: start.addingTimeInterval(seconds)
            )
        }
        record = record.withReceipts([receipt(nil, 1), receipt(.delivered, 3), receipt(.sent, 2)])
        #expect(record.status == .delivered)
        let history = record.statusHistory
        #expect(history.map(\.status) == [.accepted, .delivered])
        #expect(history.map(\.at) == [start.addingTimeInterval(0.25), start.addingTimeInterval(3)])
    }
}
