import Foundation
import SwitchboardCore
@testable import SwitchboardServer
import Testing

/// Twilio's Message resource (`GET …/Messages/{Sid}.json`) tells what receipts said, as Twilio would.
@Suite("Twilio's Message resource after receipts")
struct TwilioResourceReceiptTests {
    static func resource(_ statuses: [(String, MessageStatus?, String?)]) -> TwilioMessageResource {
        let base = ReceiptTest.accepted(id: "m1", provider: "twilio", providerMessageID: "SM0001")
        let receipts = statuses.enumerated().map { index, receipt in
            DeliveryReceipt(
                provider: "twilio", providerMessageID: "SM0001", providerStatus: receipt.0, status: receipt.1, errorCode: receipt.2,
                receivedAt: base.updatedAt.addingTimeInterval(Double(index + 1))
            )
        }
        return TwilioMessageResource(record: base.withReceipts(receipts), accountSID: "AC" + String(repeating: "0", count: 32), messagingServiceSID: nil)
    }

    @Test func deliveredIsDeliveredWithNoError() {
        let resource = Self.resource([("sent", .sent, nil), ("delivered", .delivered, nil)])
        #expect(resource.status == "delivered")
        #expect(resource.error == nil)
    }

    @Test func undeliveredAndFailedKeepTheReceiptsErrorCode() {
        let undelivered = Self.resource([("undelivered", .undelivered, "30003")])
        #expect(undelivered.status == "undelivered")
        #expect(undelivered.error?.code == 30003)
        let failed = Self.resource([("failed", .failed, "30007")])
        #expect(failed.status == "failed")
        #expect(failed.error?.code == 30007)
    }

    @Test func sentIsStillSent() {
        #expect(Self.resource([("sent", .sent, nil)]).status == "sent")
        #expect(Self.resource([]).status == "sent")
    }
}
