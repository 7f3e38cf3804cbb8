import Foundation
import Hummingbird
import SwitchboardCore

/// A message as Twilio's Message resource shows it, field for field as Twilio's API description
/// has them: counts as strings, dates in RFC 2822, `null` where we have nothing to say (price).
struct TwilioMessageResource {
    let record: MessageRecord
    let accountSID: String
    /// The `MessagingServiceSid` the request gave, echoed as Twilio does.
    let messagingServiceSID: String?

    /// Twilio's word for where the message is: a provider took it is `sent` until a receipt says
    /// more (`delivered`, `undelivered`, `failed`); the daemon stopped mid-send is `undelivered`
    /// with an error of its own.
    var status: String {
        switch record.status {
        case .queued: "queued"
        case .pending: "sending"
        case .accepted, .sent: "sent"
        case .delivered: "delivered"
        case .undelivered, .interrupted: "undelivered"
        case .failed: "failed"
        }
    }

    /// The error code of the receipt that gave the message its status, when it is a number.
    private var receiptError: (code: Int, message: String)? {
        guard let receipt = record.receipts.last(where: { $0.status == record.status }), let text = receipt.errorCode,
            let code = Int(text)
        else { return nil }
        return (code, "the provider's receipt said \(receipt.providerStatus), error \(text)")
    }

    /// Twilio's 30008 "Unknown error" for a message no provider took; 30001 "Queue overflow"
    /// does not fit, and Twilio gives no finer code for "every provider refused".
    var error: (code: Int, message: String)? {
        if let receiptError, [.failed, .undelivered].contains(record.status) { return receiptError }
        return switch record.status {
        case .failed where record.providerMessageID != nil: (30008, "the provider accepted the message, then its receipt said it failed")
        case .undelivered: (30008, "the provider's receipt said the message was not delivered")
        case .failed: (30008, "no provider accepted the message; see its attempts with GET /v1/messages/\(record.id)")
        case .interrupted: (30008, "the daemon stopped while sending; a provider may or may not have sent it")
        default: nil
        }
    }

    var json: [String: Any] {
        let sid = TwilioMessageSID.sid(forMessageID: record.id) ?? record.id
        let uri = "/2010-04-01/Accounts/\(accountSID)/Messages/\(sid).json"
        let dates = Self.rfc2822()
        let updated = dates.string(from: record.updatedAt)
        let sent: Any = [.accepted, .sent, .delivered, .undelivered].contains(record.status) ? updated : NSNull()
        return [
            "account_sid": accountSID, "api_version": "2010-04-01", "body": record.loggedText,
            "date_created": dates.string(from: record.createdAt), "date_sent": sent, "date_updated": updated,
            "direction": "outbound-api", "error_code": error.map { $0.code } ?? NSNull(), "error_message": error.map { $0.message } ?? NSNull(),
            "from": record.sender, "messaging_service_sid": messagingServiceSID ?? NSNull(), "num_media": "0", "num_segments": String(record.segments),
            "price": NSNull(), "price_unit": "USD", "sid": sid, "status": status,
            "subresource_uris": ["media": "/2010-04-01/Accounts/\(accountSID)/Messages/\(sid)/Media.json"],
            "to": record.to, "uri": uri,
        ]
    }

    func response(status: HTTPResponse.Status) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Writes `Thu, 03 Dec 2026 15:04:05 +0000`, as Twilio writes its dates; one per answer, for
    /// its three dates.
    static func rfc2822() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }
}
