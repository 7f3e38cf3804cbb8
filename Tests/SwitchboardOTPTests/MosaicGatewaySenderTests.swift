import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardStore
import Testing

@Suite("Custom gateway: sender ids")
struct MosaicGatewaySenderTests {
    @Test("an invalid sender_id is refused with a 400 that names it, and nothing is sent")
    func invalidSenderIsRefused() async throws {
        let messages: any MessageStore & InboxStore = MemoryStore()
        try await OTPTest.withApp(inbox: messages, messages: messages) { client in
            let key = try #require(HTTPField.Name("X-API-Key"))
            let body = #"{"phone_number": "+447700900123", "sender_id": "FAR-TOO-LONG-A-NAME", "message": "Your code is 482913"}"#
            let refused = try await client.http.execute(
                uri: "/mosaic/sms?app=demo",
                method: .post,
                headers: [key: "test-api-key-1", .contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(refused.status == .badRequest)
            let answer = try JSONSerialization.jsonObject(with: Data(String(buffer: refused.body).utf8)) as? [String: Any]
            #expect(answer?["error_code"] as? String == "system_invalid_input")
            #expect((answer?["message"] as? String)?.contains("sender_id") == true)
            #expect(try await messages.latestInbox(to: "+447700900123", limit: 1).isEmpty)
        }
    }
}
