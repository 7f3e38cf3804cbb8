import Foundation
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore
import SwitchboardTestSupport
import Testing

/// Vonage's delivery receipts, both shapes (a GET query, a POST of JSON), signed (a JWT made by
/// Python's hmac, outside our code) and by the callback URL's token.
@Suite("Vonage receipts", .timeLimit(.minutes(3)))
struct VonageReceiptTests {
    static func query(_ status: String, token: String = ReceiptTest.vonageToken, messageID: String = "0A0000000123ABCD1") -> String {
        "token=\(token)&msisdn=14155550123&to=Demo&network-code=12345&messageId=\(messageID)&price=0.03330000&status=\(status)"
            + "&scts=2612031702&err-code=0&api-key=key&message-timestamp=2026-12-03+17%3A02%3A14"
    }

    static func json(_ status: String, error: String = "0") -> String {
        #"{"msisdn":"14155550123","to":"Demo","network-code":"12345","messageId":"0A0000000123ABCD1","price":"0.03330000","status":"\#(status)","scts":"2612031702","err-code":"\#(error)","api-key":"key","message-timestamp":"2026-12-03 17:02:14"}"#
    }

    static let message = ReceiptTest.accepted(id: "v1", provider: "vonage", providerMessageID: "0A0000000123ABCD1")
    static let plainMessage = ReceiptTest.accepted(id: "v2", provider: "vonage-plain", providerMessageID: "0A0000000123ABCD1")

    @Test func aGETReceiptWithTheTokenIsRecorded() async throws {
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(Self.message)
            await store.save(Self.plainMessage)
            let signed = try await client.execute(uri: "/v1/receipts/vonage?" + Self.query("delivered"), method: .get)
            #expect(signed.status == .ok)
            let plain = try await client.execute(uri: "/v1/receipts/vonage-plain?" + Self.query("expired"), method: .get)
            #expect(plain.status == .ok)
            #expect(await store.message(id: "v1")?.status == .delivered)
            #expect(await store.message(id: "v2")?.status == .undelivered)
            #expect(await store.message(id: "v2")?.receipts.first?.errorCode == "0")
        }
    }

    @Test(arguments: ["vonage", "vonage-plain"])
    func aGETReceiptWithAWrongOrMissingTokenIsRefused(provider: String) async throws {
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(Self.message)
            await store.save(Self.plainMessage)
            let wrong = try await client.execute(uri: "/v1/receipts/\(provider)?" + Self.query("delivered", token: "vonage-receipt-token-0124"), method: .get)
            #expect(wrong.status == .forbidden)
            #expect(ReceiptTest.errorMessage(wrong) == "the callback URL's token is missing or wrong")
            let missing = try await client.execute(uri: "/v1/receipts/\(provider)?messageId=0A0000000123ABCD1&status=delivered", method: .get)
            #expect(missing.status == .forbidden)
            #expect(await store.message(id: "v1")?.status == .accepted)
            #expect(await store.message(id: "v2")?.status == .accepted)
        }
    }

    @Test func aSignedJSONReceiptIsRecorded() async throws {
        let body = Self.json("rejected", error: "6")
        let jwt = try await ReceiptTest.vonageJWT(body: body)
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(Self.message)
            let answer = try await client.execute(
                uri: "/v1/receipts/vonage?token=\(ReceiptTest.vonageToken)", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer \(jwt)"], body: ByteBuffer(string: body)
            )
            #expect(answer.status == .ok)
            let stored = try #require(await store.message(id: "v1"))
            #expect(stored.status == .failed)
            #expect(stored.receipts.map(\.errorCode) == ["6"])
        }
    }

    @Test(arguments: ["wrong secret", "changed body", "no JWT"])
    func aJSONReceiptNotSignedForItsBodyIsRefused(_ case: String) async throws {
        let body = Self.json("delivered")
        var sent = body
        var jwt: String? = try await ReceiptTest.vonageJWT(body: body)
        switch `case` {
        case "wrong secret": jwt = try await ReceiptTest.vonageJWT(body: body, secret: "another-signature-secret")
        case "changed body": sent = Self.json("delivered", error: "1")
        default: jwt = nil
        }
        var headers: HTTPFields = [.contentType: "application/json"]
        if let jwt { headers[.authorization] = "Bearer \(jwt)" }
        let finalHeaders = headers
        let finalBody = sent
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(Self.message)
            let answer = try await client.execute(
                uri: "/v1/receipts/vonage?token=\(ReceiptTest.vonageToken)", method: .post, headers: finalHeaders, body: ByteBuffer(string: finalBody)
            )
            #expect(answer.status == .forbidden)
            #expect(ReceiptTest.errorCode(answer) == "receipt_not_authenticated")
            #expect(await store.message(id: "v1")?.receipts == [])
        }
    }

    @Test func aTokenReceiptWithoutItsMessageIDIsABadRequestNamingIt() async throws {
        try await ReceiptTest.withApp { client, _, _ in
            let answer = try await client.execute(uri: "/v1/receipts/vonage-plain?token=\(ReceiptTest.vonageToken)&status=delivered", method: .get)
            #expect(answer.status == .badRequest)
            #expect(ReceiptTest.errorMessage(answer) == "the receipt has no 'messageId'; a query receipt carries it")
        }
    }

    @Test func anUnmappedStatusIsRecordedAndMovesNothing() async throws {
        try await ReceiptTest.withApp { client, store, _ in
            await store.save(Self.plainMessage)
            let answer = try await client.execute(uri: "/v1/receipts/vonage-plain?" + Self.query("unknown"), method: .get)
            #expect(answer.status == .ok)
            let stored = try #require(await store.message(id: "v2"))
            #expect(stored.status == .accepted)
            #expect(stored.receipts.map(\.providerStatus) == ["unknown"])
        }
    }
}
