import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `generate_request_id` binds the code to a request id, which authenticate must present;
/// `approval_data` comes back in the send's answer.
@Suite("request_id and approval_data", .timeLimit(.minutes(3)))
struct RequestIDTests {
    static func send(_ client: OTPTest.Client, token: String, extra: String) async throws -> OTPTest.Reply {
        try await client.post(
            "/cis/v1/auth/otp/send", token: token, #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"\#(extra)}"#
        )
    }

    static func authenticate(_ client: OTPTest.Client, token: String, code: String, requestID: String) async throws -> OTPTest.Reply {
        try await client.post(
            "/cis/v1/auth/otp/authenticate", token: token,
            #"{"passcode": "\#(code)", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "request_id": "\#(requestID)"}"#
        )
    }

    @Test func theAnswerCarriesTheRequestIDAndTheApprovalData() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await Self.send(client, token: token, extra: #", "generate_request_id": true, "approval_data": {"payee": "ACME", "amount": "10.00"}"#)
            #expect(reply.status == .ok)
            #expect(Set(reply.json.keys) == ["message", "request_id", "approval_data"])
            #expect(reply.json["approval_data"] as? [String: String] == ["payee": "ACME", "amount": "10.00"])
            let requestID = try #require(reply.json["request_id"] as? String)
            #expect(!requestID.isEmpty)
            #expect(try await Self.authenticate(client, token: token, code: try await client.latestCode(), requestID: requestID).status == .ok)
        }
    }

    @Test func eachSendGetsItsOwnRequestID() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(clock: clock) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let first = try await Self.send(client, token: token, extra: #", "generate_request_id": true"#).json["request_id"] as? String
            clock.advance(by: .seconds(30))
            let second = try await Self.send(client, token: token, extra: #", "generate_request_id": true"#).json["request_id"] as? String
            #expect(first != nil)
            #expect(second != nil)
            #expect(first != second)
        }
    }

    @Test func theRightCodeWithAnotherRequestIDIsInvalidCredentials() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await Self.send(client, token: token, extra: #", "generate_request_id": true"#)
            let requestID = try #require(reply.json["request_id"] as? String)
            let code = try await client.latestCode()
            let wrong = try await Self.authenticate(client, token: token, code: code, requestID: requestID + "x")
            #expect(wrong.status == .badRequest)
            #expect(wrong.json["error_code"] as? String == "auth_invalid_credentials")
            // The refusal counted as a failure but left the code: the right pair still logs in.
            #expect(try await Self.authenticate(client, token: token, code: code, requestID: requestID).status == .ok)
        }
    }

    @Test func withoutGenerateRequestIDNoneIsAskedFor() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await Self.send(client, token: token, extra: #", "generate_request_id": false"#)
            #expect(reply.text == #"{"message":"OTP sent"}"#)
            // A request id the server never made does not stand in the way of a code without one.
            #expect(try await Self.authenticate(client, token: token, code: try await client.latestCode(), requestID: "anything").status == .ok)
        }
    }
}
