import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `code_length` sets how many digits a code has, in the SMS and on the direct channel.
@Suite("code_length other than 6", .timeLimit(.minutes(3)))
struct CodeLengthTests {
    static func yaml(length: Int) -> String {
        OTPTest.yaml(
            demo: "    allow_direct_channel: true",
            otp: "{ code_length: \(length), expires_in: 5m, max_failures: 3, lockout: 15m, resend_after: 0s, max_sends_per_hour: 5 }"
        )
    }

    @Test(arguments: [4, 10])
    func theSMSCarriesACodeOfThatLengthWhichLogsIn(length: Int) async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml(length: length))) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            let message = try #require(try await client.inbox.latestInbox(to: OTPTest.phone, limit: 1).first)
            // The app's message is "{otp} is your {app} code.": the code is everything before it.
            let suffix = " is your Demo code."
            #expect(message.text.hasSuffix(suffix))
            let code = String(message.text.dropLast(suffix.count))
            #expect(code.count == length)
            #expect(code.allSatisfy { ("0"..."9").contains($0) })
            #expect(try await client.authenticate(token, code: code).status == .ok)
        }
    }

    @Test(arguments: [4, 10])
    func theDirectChannelAnswersACodeOfThatLength(length: Int) async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml(length: length))) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "direct", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"}"#
            )
            #expect(reply.status == .ok)
            let code = try #require(reply.json["code"] as? String)
            #expect(code.count == length)
            #expect(code.allSatisfy { ("0"..."9").contains($0) })
        }
    }

    @Test func aShorterPrefixOfTheCodeIsRefused() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml(length: 10))) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token, #"{"channel": "direct", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"}"#
            )
            let code = try #require(reply.json["code"] as? String)
            let wrong = try await client.authenticate(token, code: String(code.prefix(6)))
            #expect(wrong.status == .badRequest)
            #expect(wrong.json["error_code"] as? String == "auth_invalid_credentials")
            #expect(try await client.authenticate(token, code: code).status == .ok)
        }
    }
}
