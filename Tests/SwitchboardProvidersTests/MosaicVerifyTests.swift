import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

@Suite("mosaic definition", .timeLimit(.minutes(3)))
struct MosaicVerifyTests {
    static let number = "+447700900123"

    func settings(_ fake: FakeMosaic) -> String {
        "client_id: \(fake.clientID)\nclient_secret: \(fake.clientSecret)\nbase_url: \(fake.server.baseURL)"
    }

    @Test func takesATokenCreatesTheUserAndSendsWithOurWordsAndSender() async throws {
        let fake = try await FakeMosaic()
        let response = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { await send($0, try loginOTP()) }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(fake.requests.map(\.path) == ["/oidc/token", "/cis/v1/users", "/cis/v1/auth/otp/send"])
        let token = fake.requests[0]
        #expect(token.formFields.map(\.0) == ["grant_type", "client_id", "client_secret"])
        #expect(token.formField("grant_type") == "client_credentials")
        let bearer = try #require(fake.requests[1].header("Authorization"))
        #expect(bearer.hasPrefix("Bearer mosaic-token-"))
        #expect(fake.requests[2].header("Authorization") == bearer)
        #expect(fake.requests[1].json?["phone_number"] as? String == Self.number)
        let body = try #require(fake.requests[2].json)
        #expect(Set(body.keys) == ["channel", "identifier_type", "identifier", "custom_sms_input"])
        #expect(body["channel"] as? String == "sms")
        #expect(body["identifier_type"] as? String == "phone_number")
        #expect(body["identifier"] as? String == Self.number)
        let custom = try #require(body["custom_sms_input"] as? [String: Any])
        #expect(custom["custom_message"] as? String == "{otp} is your {app} code. Don't share it.")
        #expect(custom["sender_id"] as? String == "ACME")
        let code = try #require(fake.code(sentTo: Self.number))
        #expect(fake.text(sentTo: Self.number) == "\(code) is your Acme code. Don't share it.")
    }

    @Test func aKnownUserAnswering409IsFineAndOneTokenServesEveryCall() async throws {
        let fake = try await FakeMosaic()
        let (first, second, approved) = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { provider in
            let first = await send(provider, try loginOTP())
            let second = await send(provider, try loginOTP())
            let code = try #require(fake.code(sentTo: Self.number))
            return (first, second, try await check(provider, code))
        }
        await fake.server.shutdown()
        #expect(first.outcome == .accepted)
        #expect(second.outcome == .accepted)
        #expect(approved.outcome == .approved)
        #expect(fake.tokensIssued == 1)
        #expect(fake.requests.map(\.path) == [
            "/oidc/token", "/cis/v1/users", "/cis/v1/auth/otp/send", "/cis/v1/users", "/cis/v1/auth/otp/send", "/cis/v1/auth/otp/authenticate",
        ])
        let checkBody = try #require(fake.requests.last?.json)
        #expect(Set(checkBody.keys) == ["passcode", "identifier_type", "identifier"])
        #expect(checkBody["identifier_type"] as? String == "phone_number")
        #expect(checkBody["identifier"] as? String == Self.number)
    }

    @Test func aNumberSenderIsLeftOutAndAMessageWithoutPlaceholdersLeavesMosaicsOwn() async throws {
        let fake = try await FakeMosaic()
        let (numbered, plain) = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { provider in
            (await send(provider, try loginOTP(sender: "+447700900999")), await send(provider, try loginOTP(template: nil)))
        }
        await fake.server.shutdown()
        #expect(numbered.outcome == .accepted)
        #expect(plain.outcome == .accepted)
        let sends = fake.requests.filter { $0.path == "/cis/v1/auth/otp/send" }
        try #require(sends.count == 2)
        let custom = try #require(sends[0].json?["custom_sms_input"] as? [String: Any])
        #expect(Set(custom.keys) == ["custom_message"])
        #expect(sends[1].json?["custom_sms_input"] == nil)
    }

    @Test func aMessageOverMosaicsLimitFailsOverBeforeTheSend() async throws {
        let fake = try await FakeMosaic()
        let long = "{otp} is your {app} code. " + String(repeating: "x", count: 120)
        let response = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { await send($0, try loginOTP(template: long)) }
        await fake.server.shutdown()
        #expect(response.outcome == .retryable)
        #expect(response.code == "request_unbuildable")
        #expect(response.message == "custom_message would be longer than the provider's limit of 140 characters")
        #expect(!fake.requests.contains { $0.path == "/cis/v1/auth/otp/send" })
    }

    @Test func checkAnswersAreMapped() async throws {
        let fake = try await FakeMosaic()
        let (wrong, expired) = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { provider in
            _ = await send(provider, try loginOTP())
            let code = try #require(fake.code(sentTo: Self.number))
            let wrong = try await check(provider, code == "000000" ? "111111" : "000000")
            fake.expire(Self.number)
            return (wrong, try await check(provider, code))
        }
        await fake.server.shutdown()
        #expect(wrong.outcome == .wrong)
        #expect(wrong.code == "auth_invalid_credentials")
        #expect(expired.outcome == .expired)
        #expect(expired.code == "auth_otp_passcode_expired")
    }

    @Test func threeWrongCodesAreLocked() async throws {
        let fake = try await FakeMosaic()
        let outcomes = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { provider in
            _ = await send(provider, try loginOTP())
            let code = try #require(fake.code(sentTo: Self.number))
            var outcomes: [CodeCheck.Outcome] = []
            for _ in 0..<3 { outcomes.append(try await check(provider, code == "000000" ? "111111" : "000000").outcome) }
            return outcomes
        }
        await fake.server.shutdown()
        #expect(outcomes == [.wrong, .wrong, .locked])
    }

    @Test func mosaicDownIsRetryableForSendAndCheck() async throws {
        let fake = try await FakeMosaic()
        fake.sendScript.enqueue(.json(500, #"{"error_code": "internal", "message": "down"}"#))
        fake.checkScript.enqueue(.json(503, #"{"error_code": "unavailable", "message": "down"}"#))
        let (sent, checked) = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { provider in
            (await send(provider, try loginOTP()), try await check(provider, "123456"))
        }
        await fake.server.shutdown()
        #expect(sent.outcome == .retryable)
        #expect(sent.code == "internal")
        #expect(checked.outcome == .retryable)
        #expect(checked.code == "unavailable")
    }

    @Test func aRefusedTokenIsRenewedOnce() async throws {
        let fake = try await FakeMosaic()
        fake.sendScript.enqueue(.json(401, #"{"error_code": "unauthorized", "message": "token expired"}"#))
        let response = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { await send($0, try loginOTP()) }
        await fake.server.shutdown()
        #expect(response.outcome == .accepted)
        #expect(fake.tokensIssued == 2)
        #expect(fake.requests.map(\.path) == ["/oidc/token", "/cis/v1/users", "/cis/v1/auth/otp/send", "/oidc/token", "/cis/v1/auth/otp/send"])
    }

    @Test func aHostilePasscodeIsSentAsOneEscapedValue() async throws {
        let fake = try await FakeMosaic()
        let hostile = #"123456", "identifier": "+447700900999", "x": "\#u{0}"#
        let answer = try await withVerifyProvider(type: "mosaic", settings: settings(fake)) { provider in
            _ = await send(provider, try loginOTP())
            return try await check(provider, hostile)
        }
        await fake.server.shutdown()
        #expect(answer.outcome == .wrong)
        let body = try #require(fake.requests.last?.json)
        #expect(Set(body.keys) == ["passcode", "identifier_type", "identifier"])
        #expect(body["passcode"] as? String == hostile)
        #expect(body["identifier"] as? String == Self.number)
    }
}
