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
@Suite("Receipts end to end", .timeLimit(.minutes(3)))
struct ReceiptEndToEndTests {
    @Test func aSentMessageGoesAcceptedSentDelivered() async throws {
        let fake = try await FakeTwilio()
        try await ReceiptTest.withApp(yaml: Self.yaml(fake)) { client, store, _ in
            let id = try await Self.sendAndReceive(["sent", "delivered"], client: client, fake: fake)
            let logged = try await client.execute(uri: "/v1/messages/\(id)", method: .get, headers: Self.apiHeaders)
            let message = try #require(try JSONSerialization.jsonObject(with: Data(logged.body.readableBytesView)) as? [String: Any])
            #expect(message["status"] as? String == "delivered")
            let history = try #require(message["history"] as? [[String: Any]])
            #expect(history.map { $0["status"] as? String } == ["accepted", "sent", "delivered"])
            #expect(await store.message(id: id)?.receipts.map(\.providerStatus) == ["sent", "delivered"])
        }
        await fake.server.shutdown()
    }

    @Test func eachStatusAReceiptMovesTheMessageToIsAnEventForTheAppsWebhook() async throws {
        let fake = try await FakeTwilio()
        let outbox = MemoryWebhookStore()
        let webhook = #"webhook: { url: "http://127.0.0.1:9/hook", secret: whsec-test-0123456789abcdefghij, events: [message.sent, message.delivered] }"#
        let yaml = Self.yaml(fake).replacingOccurrences(of: #"message: "{otp} is your {app} code" }"#, with: #"message: "{otp} is your {app} code", "# + webhook + " }")
        try await ReceiptTest.withApp(yaml: yaml, webhooks: outbox) { client, _, _ in
            // The duplicate moves nothing, so it is no event.
            let id = try await Self.sendAndReceive(["sent", "delivered", "delivered"], client: client, fake: fake)
            let events = await outbox.webhookEvents(state: .pending, app: "demo", limit: 10)
            #expect(events.map(\.type).sorted() == ["message.delivered", "message.sent"])
            #expect(events.allSatisfy { $0.body.contains(id) })
        }
        await fake.server.shutdown()
    }

    private static let apiHeaders: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]

    private static func yaml(_ fake: FakeTwilio) -> String {
        ReceiptTest.yaml(twilioBaseURL: fake.server.baseURL, account: fake.accountSID)
            .replacingOccurrences(of: "auth_token: \(ReceiptTest.twilioToken)", with: "auth_token: \(fake.authToken)")
    }

    /// Sends a message through the fake Twilio, then posts a receipt of each status to the callback
    /// URL the send gave Twilio, signed as Twilio signs it.
    /// - Returns: The message's id.
    private static func sendAndReceive(_ statuses: [String], client: any TestClientProtocol, fake: FakeTwilio) async throws -> String {
        let sent = try await client.execute(
            uri: "/v1/messages", method: .post, headers: apiHeaders, body: ByteBuffer(string: #"{"to": "+1 415 555 0123", "app": "demo", "text": "Hello"}"#)
        )
        #expect(sent.status == .created)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(sent.body.readableBytesView)) as? [String: Any])
        let id = try #require(answer["id"] as? String)
        let sid = try #require(answer["provider_message_id"] as? String)
        let callback = try #require(fake.requests.first?.formField("StatusCallback"))
        #expect(callback == ReceiptTest.publicURL + "/v1/receipts/twilio")
        let path = String(callback.dropFirst(ReceiptTest.publicURL.count))
        for status in statuses {
            let parameters = ["AccountSid": fake.accountSID, "MessageSid": sid, "MessageStatus": status, "SmsSid": sid, "SmsStatus": status]
            let signature = try await ReceiptTest.twilioSignature(url: callback, parameters, token: fake.authToken)
            var receiptHeaders = ReceiptTest.formHeaders
            receiptHeaders[.twilioSignature] = signature
            let receipt = try await client.execute(uri: path, method: .post, headers: receiptHeaders, body: ByteBuffer(string: ReceiptTest.form(parameters)))
            #expect(receipt.status == .ok)
        }
        return id
    }
}
