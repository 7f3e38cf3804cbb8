import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Twilio's status callbacks at `POST /v1/receipts/twilio`, signed by Twilio's own validator code
/// over the public URL (a proxy's), never over where the app listens.
@Suite("Twilio receipts", .timeLimit(.minutes(3)))
struct TwilioReceiptTests {
    static let url = ReceiptTest.publicURL + "/v1/receipts/twilio"
    static let path = "/v1/receipts/twilio"

    static func callback(_ status: String, sid: String = "SM0001", error: String? = nil) -> [String: String] {
        var parameters = [
            "AccountSid": "AC" + String(repeating: "0", count: 32), "From": "+14155550100", "To": "+14155550123", "MessageSid": sid,
            "SmsSid": sid, "MessageStatus": status, "SmsStatus": status, "ApiVersion": "2010-04-01",
        ]
        parameters["ErrorCode"] = error
        return parameters
    }

    func post(_ client: any TestClientProtocol, _ parameters: [String: String], signature: String?) async throws -> TestResponse {
        var headers = ReceiptTest.formHeaders
        if let signature { headers[.twilioSignature] = signature }
        return try await client.execute(uri: Self.path, method: .post, headers: headers, body: ByteBuffer(string: ReceiptTest.form(parameters)))
    }

    @Test func aCallbackSignedAsTwilioSignsIsRecorded() async throws {
        let parameters = Self.callback("delivered")
        let signature = try await ReceiptTest.twilioSignature(url: Self.url, parameters)
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(ReceiptTest.accepted(id: "m1", provider: "twilio", providerMessageID: "SM0001"))
            let answer = try await post(client, parameters, signature: signature)
            #expect(answer.status == .ok)
            let stored = try #require(await store.message(id: "m1"))
            #expect(stored.status == .delivered)
            #expect(stored.receipts.map(\.providerStatus) == ["delivered"])
        }
    }

    @Test(arguments: ["changed parameter", "wrong URL", "wrong token", "unsigned"])
    func aCallbackNotSignedForWhatCameIsRefusedAndChangesNothing(_ case: String) async throws {
        let parameters = Self.callback("delivered")
        var sent = parameters
        var signature: String?
        switch `case` {
        case "changed parameter":
            signature = try await ReceiptTest.twilioSignature(url: Self.url, parameters)
            sent["MessageStatus"] = "undelivered"
        case "wrong URL":
            // Where the app listens, not the address Twilio was given.
            signature = try await ReceiptTest.twilioSignature(url: "http://127.0.0.1:8080" + Self.path, parameters)
        case "wrong token":
            signature = try await ReceiptTest.twilioSignature(url: Self.url, parameters, token: "another-auth-token")
        default:
            signature = nil
        }
        let finalSignature = signature
        let finalSent = sent
        try await ReceiptTest.withApp { client, store, metrics in
            await store.save(ReceiptTest.accepted(id: "m1", provider: "twilio", providerMessageID: "SM0001"))
            let answer = try await post(client, finalSent, signature: finalSignature)
            #expect(answer.status == .forbidden)
            #expect(ReceiptTest.errorCode(answer) == "receipt_not_authenticated")
            let stored = try #require(await store.message(id: "m1"))
            #expect(stored.status == .accepted)
            #expect(stored.receipts.isEmpty)
            let page = PrometheusPage(String(decoding: metrics.scrape(), as: UTF8.self))
            #expect(page.value("switchboard_receipts_total", ["provider": "twilio", "result": "refused"]) == 1)
        }
    }

    @Test func deliveredThenSentKeepsDeliveredAndARepeatChangesNothing() async throws {
        let delivered = Self.callback("delivered")
        let sent = Self.callback("sent")
        let deliveredSignature = try await ReceiptTest.twilioSignature(url: Self.url, delivered)
        let sentSignature = try await ReceiptTest.twilioSignature(url: Self.url, sent)
        try await ReceiptTest.withApp { client, store, metrics in
            await store.save(ReceiptTest.accepted(id: "m1", provider: "twilio", providerMessageID: "SM0001"))
            for (parameters, signature) in [(delivered, deliveredSignature), (sent, sentSignature), (delivered, deliveredSignature)] {
                let answer = try await post(client, parameters, signature: signature)
                #expect(answer.status == .ok)
            }
            let stored = try #require(await store.message(id: "m1"))
            #expect(stored.status == .delivered)
            #expect(stored.receipts.map(\.providerStatus) == ["delivered", "sent", "delivered"])
            #expect(stored.statusHistory.map(\.status) == [.accepted, .delivered])
            let page = PrometheusPage(String(decoding: metrics.scrape(), as: UTF8.self))
            #expect(page.value("switchboard_receipts_total", ["provider": "twilio", "result": "moved"]) == 1)
            #expect(page.value("switchboard_receipts_total", ["provider": "twilio", "result": "unchanged"]) == 2)
        }
    }

    @Test func aFailedCallbackKeepsTwilioErrorCodeAndTheTwilioAPIShowsIt() async throws {
        let failed = Self.callback("undelivered", error: "30003")
        let signature = try await ReceiptTest.twilioSignature(url: Self.url, failed)
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(ReceiptTest.accepted(id: "m1", provider: "twilio", providerMessageID: "SM0001"))
            let posted = try await post(client, failed, signature: signature)
            #expect(posted.status == .ok)
            let answer = try await client.execute(uri: "/v1/messages/m1", method: .get, headers: [.authorization: "Bearer test-api-key-1"])
            let message = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any])
            #expect(message["status"] as? String == "undelivered")
            let receipts = try #require(message["receipts"] as? [[String: Any]])
            #expect(receipts.first?["error_code"] as? String == "30003")
            #expect(receipts.first?["provider_status"] as? String == "undelivered")
            let history = try #require(message["history"] as? [[String: Any]])
            #expect(history.map { $0["status"] as? String } == ["accepted", "undelivered"])
        }
    }

    @Test func aCallbackForAnUnknownMessageIsAnsweredOKAndCounted() async throws {
        let parameters = Self.callback("delivered", sid: "SM-nobody")
        let signature = try await ReceiptTest.twilioSignature(url: Self.url, parameters)
        try await ReceiptTest.withApp { client, _, metrics in
            let answer = try await post(client, parameters, signature: signature)
            #expect(answer.status == .ok)
            let page = PrometheusPage(String(decoding: metrics.scrape(), as: UTF8.self))
            #expect(page.value("switchboard_receipts_total", ["provider": "twilio", "result": "unknown_message"]) == 1)
        }
    }

    @Test func aProviderThatTakesNoReceiptsIsNotFound() async throws {
        try await ReceiptTest.withApp { client, _, _ in
            for name in ["default", "nobody"] {
                let answer = try await client.execute(uri: "/v1/receipts/\(name)", method: .post, headers: ReceiptTest.formHeaders, body: ByteBuffer(string: "a=b"))
                #expect(answer.status == .notFound)
                #expect(ReceiptTest.errorCode(answer) == "not_found")
            }
        }
    }

    @Test func aSignedCallbackWithoutTheMessageIDIsABadRequestNamingIt() async throws {
        var unsent = Self.callback("delivered")
        unsent["MessageSid"] = nil
        let parameters = unsent
        let signature = try await ReceiptTest.twilioSignature(url: Self.url, parameters)
        try await ReceiptTest.withApp { client, _, _ in
            let answer = try await post(client, parameters, signature: signature)
            #expect(answer.status == .badRequest)
            #expect(ReceiptTest.errorCode(answer) == "invalid_receipt")
            #expect(ReceiptTest.errorMessage(answer) == "the receipt has no 'MessageSid'; a form receipt carries it")
        }
    }

    @Test func aJSONBodyIsNotWhatTwilioSends() async throws {
        try await ReceiptTest.withApp { client, _, _ in
            let answer = try await client.execute(
                uri: Self.path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"MessageSid":"SM0001"}"#)
            )
            #expect(answer.status == .unsupportedMediaType)
            #expect(ReceiptTest.errorMessage(answer) == "Content-Type is 'application/json'; this provider's receipts are application/x-www-form-urlencoded")
        }
    }

    @Test func anOversizedBodyIsRefusedUnread() async throws {
        try await ReceiptTest.withApp { client, _, _ in
            let body = "MessageSid=" + String(repeating: "a", count: 20_000)
            let answer = try await client.execute(uri: Self.path, method: .post, headers: ReceiptTest.formHeaders, body: ByteBuffer(string: body))
            #expect(answer.status == .contentTooLarge)
        }
    }
}
