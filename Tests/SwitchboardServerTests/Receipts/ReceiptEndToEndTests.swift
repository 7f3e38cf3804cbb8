import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// A message sent through the twilio definition to the fake Twilio carries our callback URL; the
/// receipts posted to it, as Twilio would sign them, show in the log as the message's lifecycle.
@Suite("Receipts end to end", .timeLimit(.minutes(1)))
struct ReceiptEndToEndTests {
    @Test func aSentMessageGoesAcceptedSentDelivered() async throws {
        let fake = try await FakeTwilio()
        let yaml = ReceiptTest.yaml(twilioBaseURL: fake.server.baseURL, account: fake.accountSID)
        let config = yaml.replacingOccurrences(of: "auth_token: \(ReceiptTest.twilioToken)", with: "auth_token: \(fake.authToken)")
        try await ReceiptTest.withApp(yaml: config) { client, store, _ in
            let headers: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]
            let sent = try await client.execute(
                uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: #"{"to": "+1 415 555 0123", "app": "demo", "text": "Hello"}"#)
            )
            #expect(sent.status == .created)
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(sent.body.readableBytesView)) as? [String: Any])
            let id = try #require(answer["id"] as? String)
            let sid = try #require(answer["provider_message_id"] as? String)
            let callback = try #require(fake.requests.first?.formField("StatusCallback"))
            #expect(callback == ReceiptTest.publicURL + "/v1/receipts/twilio")
            let path = String(callback.dropFirst(ReceiptTest.publicURL.count))
            for status in ["sent", "delivered"] {
                let parameters = ["AccountSid": fake.accountSID, "MessageSid": sid, "MessageStatus": status, "SmsSid": sid, "SmsStatus": status]
                let signature = try await ReceiptTest.twilioSignature(url: callback, parameters, token: fake.authToken)
                var receiptHeaders = ReceiptTest.formHeaders
                receiptHeaders[.twilioSignature] = signature
                let receipt = try await client.execute(uri: path, method: .post, headers: receiptHeaders, body: ByteBuffer(string: ReceiptTest.form(parameters)))
                #expect(receipt.status == .ok)
            }
            let logged = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: headers)
            let message = try #require(try JSONSerialization.jsonObject(with: Data(logged.body.readableBytesView)) as? [String: Any])
            #expect(message["status"] as? String == "delivered")
            let history = try #require(message["history"] as? [[String: Any]])
            #expect(history.map { $0["status"] as? String } == ["accepted", "sent", "delivered"])
            #expect(await store.message(id: id)?.receipts.map(\.providerStatus) == ["sent", "delivered"])
        }
        await fake.server.shutdown()
    }
}
