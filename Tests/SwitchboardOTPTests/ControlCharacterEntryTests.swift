import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every way text reaches a phone refuses control characters (other than line breaks and tabs)
/// with a 400 that names the character and where it is, and sends nothing.
@Suite("Control characters at every entry point")
struct ControlCharacterEntryTests {
    static let apiKey: HTTPFields = [.authorization: "Bearer test-api-key-1", .contentType: "application/json"]

    @Test("POST /v1/messages: text with ESC[31m is refused as invalid_message")
    func gatewayText() async throws {
        try await OTPTest.withApp { client in
            let body = #"{"to": "+447700900123", "app": "demo", "text": "Alert \u001b[31mred"}"#
            let reply = OTPTest.Reply(try await client.http.execute(uri: "/v1/messages", method: .post, headers: Self.apiKey, body: ByteBuffer(string: body)))
            #expect(reply.status == .badRequest)
            let error = try #require(reply.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid_message")
            #expect((error["message"] as? String)?.contains("U+001B (ESC) at character 7") == true, "\(reply.text)")
            #expect(try await client.inboxCount() == 0)
        }
    }

    @Test("POST /v1/messages: NUL, DEL and a C1 control are refused too; line breaks and tabs are not", arguments: [
        (#"\u0000"#, "U+0000"), (#"\u007f"#, "U+007F"), (#"\u009b"#, "U+009B"),
    ])
    func gatewayOtherControls(escaped: String, named: String) async throws {
        try await OTPTest.withApp { client in
            let refused = #"{"to": "+447700900123", "app": "demo", "text": "a\#(escaped)b"}"#
            let reply = OTPTest.Reply(try await client.http.execute(uri: "/v1/messages", method: .post, headers: Self.apiKey, body: ByteBuffer(string: refused)))
            #expect(reply.status == .badRequest)
            #expect(reply.text.contains("\(named)"), "\(reply.text)")
            #expect(reply.text.contains("at character 2"), "\(reply.text)")

            let fine = #"{"to": "+447700900123", "app": "demo", "text": "line one\r\nline\ttwo\nthree"}"#
            let sent = try await client.http.execute(uri: "/v1/messages", method: .post, headers: Self.apiKey, body: ByteBuffer(string: fine))
            #expect(sent.status == .created)
            #expect(try await client.inboxCount() == 1)
        }
    }

    @Test("Mosaic send: a custom message with a control character is refused before a code is made")
    func mosaicCustomMessage() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "+447700900123", "identifier_type": "phone_number", "custom_sms_input": {"custom_message": "{app}: \u001b[31m{otp}"}}"#
            )
            #expect(reply.status == .badRequest)
            #expect(reply.json["error_code"] as? String == "system_invalid_input")
            let message = try #require(reply.json["message"] as? String)
            #expect(message.contains("custom_sms_input.custom_message"))
            #expect(message.contains("U+001B (ESC)"))
            #expect(message.contains("at character 8"))
            #expect(try await client.inboxCount() == 0)
        }
    }

    @Test("Mosaic custom gateway: a message with a control character is refused, with or without a code in it", arguments: [
        #"Your code is 482913\u0007"#, #"\u0000hello"#,
    ])
    func mosaicGatewayMessage(message: String) async throws {
        try await OTPTest.withApp { client in
            let name = try #require(HTTPField.Name("X-API-Key"))
            let body = #"{"phone_number": "+447700900123", "sender_id": "ACME", "message": "\#(message)"}"#
            let reply = OTPTest.Reply(
                try await client.http.execute(
                    uri: "/mosaic/sms?app=demo", method: .post, headers: [name: "test-api-key-1", .contentType: "application/json"],
                    body: ByteBuffer(string: body)
                )
            )
            #expect(reply.status == .badRequest)
            #expect(reply.json["error_code"] as? String == "system_invalid_input")
            let position = message.hasPrefix(#"\u0000"#) ? "U+0000 (NUL) at character 1" : "U+0007 (BEL) at character 20"
            #expect((reply.json["message"] as? String)?.contains(position) == true, "\(reply.text)")
            #expect(try await client.inboxCount() == 0)
        }
    }
}
