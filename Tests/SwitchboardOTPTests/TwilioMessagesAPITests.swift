import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import SwitchboardServer

/// The Twilio-compatible Messages API on its own terms: each app is an account, a request of
/// another account or with a wrong token is Twilio's 20003, and what Switchboard cannot honour is
/// refused by name.
@Suite("Twilio-compatible Messages API", .timeLimit(.minutes(3)))
struct TwilioMessagesAPITests {
    static let account = "AC0123456789abcdef0123456789abcdef"
    static let token = "twilio-auth-token-0123456789"
    static let otherAccount = "ACfedcba9876543210fedcba9876543210"
    static let otherToken = "other-auth-token-0123456789"
    static let path = "/2010-04-01/Accounts/\(account)/Messages.json"

    static func yaml(allowFrom: Bool = false) -> String {
        OTPTest.yaml(
            demo: "    twilio_api: { account_sid: \(account), auth_token: \(token), allow_from: \(allowFrom) }",
            extraApps: """
                  shop:
                    name: Shop
                    message: "{otp} is your {app} code."
                    twilio_api: { account_sid: \(otherAccount), auth_token: \(otherToken) }
                """
        )
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    static func post(_ client: OTPTest.Client, _ form: String, path: String = path, auth: String? = basic(account, token)) async throws -> OTPTest.Reply {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let auth { headers[.authorization] = auth }
        return OTPTest.Reply(try await client.http.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form)))
    }

    static func expectTwilioError(_ reply: OTPTest.Reply, _ status: HTTPResponse.Status, _ code: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(reply.json["code"] as? Int == code, sourceLocation: sourceLocation)
        #expect(reply.json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(reply.json["more_info"] as? String == "https://www.twilio.com/docs/errors/\(code)", sourceLocation: sourceLocation)
        #expect((reply.json["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func aMessageIsSentAsTheAccountsAppAndShownAsTwilioShowsIt() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml())) { client in
            let reply = try await Self.post(client, "To=%2B447700900123&From=%2B15005550006&Body=Hello+there")
            #expect(reply.status == .created)
            let sid = try #require(reply.json["sid"] as? String)
            #expect(sid.hasPrefix("SM") && sid.count == 34)
            #expect(reply.json["status"] as? String == "sent")
            #expect(reply.json["account_sid"] as? String == Self.account)
            #expect(reply.json["body"] as? String == "Hello there")
            #expect(reply.json["num_segments"] as? String == "1")
            #expect(reply.json["direction"] as? String == "outbound-api")
            // The route's sender: this app does not allow From.
            #expect(reply.json["from"] as? String == "Demo")
            #expect(reply.json["uri"] as? String == "/2010-04-01/Accounts/\(Self.account)/Messages/\(sid).json")
            #expect(reply.json["error_code"] is NSNull)
            let created = try #require(reply.json["date_created"] as? String)
            #expect(created.hasSuffix(" +0000") && created.contains(", "))
            let sent = try await client.inbox.latestInbox(to: OTPTest.phone, limit: 10)
            #expect(sent.map(\.text) == ["Hello there"])
            #expect(sent.map(\.from) == ["Demo"])

            var headers: HTTPFields = [:]
            headers[.authorization] = Self.basic(Self.account, Self.token)
            let fetched = OTPTest.Reply(try await client.http.execute(uri: "/2010-04-01/Accounts/\(Self.account)/Messages/\(sid).json", method: .get, headers: headers))
            #expect(fetched.status == .ok)
            #expect(fetched.json["sid"] as? String == sid)
            #expect(fetched.json["status"] as? String == "sent")
            // Another account cannot read it, even with its own valid credentials.
            headers[.authorization] = Self.basic(Self.otherAccount, Self.otherToken)
            let foreign = OTPTest.Reply(try await client.http.execute(uri: "/2010-04-01/Accounts/\(Self.otherAccount)/Messages/\(sid).json", method: .get, headers: headers))
            Self.expectTwilioError(foreign, .notFound, 20404)
        }
    }

    @Test func fromIsTheSenderOnlyWhenTheAppAllowsIt() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml(allowFrom: true))) { client in
            let reply = try await Self.post(client, "To=%2B447700900123&From=Shop&Body=Hi")
            #expect(reply.status == .created)
            #expect(reply.json["from"] as? String == "Shop")
            let invalid = try await Self.post(client, "To=%2B447700900123&From=not+a+sender+at+all&Body=Hi")
            Self.expectTwilioError(invalid, .badRequest, 21212)
        }
    }

    @Test func wrongCredentialsAndForeignAccountsAreRefused() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml())) { client in
            let form = "To=%2B447700900123&From=%2B15005550006&Body=Hi"
            Self.expectTwilioError(try await Self.post(client, form, auth: nil), .unauthorized, 20003)
            Self.expectTwilioError(try await Self.post(client, form, auth: Self.basic(Self.account, Self.token + "x")), .unauthorized, 20003)
            // The right token under another user name.
            Self.expectTwilioError(try await Self.post(client, form, auth: Self.basic(Self.otherAccount, Self.token)), .unauthorized, 20003)
            // The other app's valid credentials, on this account's path.
            Self.expectTwilioError(try await Self.post(client, form, auth: Self.basic(Self.otherAccount, Self.otherToken)), .unauthorized, 20003)
            // This account's credentials on the other account's path.
            let otherPath = "/2010-04-01/Accounts/\(Self.otherAccount)/Messages.json"
            Self.expectTwilioError(try await Self.post(client, form, path: otherPath), .unauthorized, 20003)
            // An API key is not a Twilio credential.
            Self.expectTwilioError(try await Self.post(client, form, auth: "Bearer test-api-key-1"), .unauthorized, 20003)
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
        }
    }

    @Test func requestsTwilioWouldRefuseGetTwilioCodes() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml())) { client in
            Self.expectTwilioError(try await Self.post(client, "From=%2B15005550006&Body=Hi"), .badRequest, 21604)
            Self.expectTwilioError(try await Self.post(client, "To=%2B447700900123&From=%2B15005550006"), .badRequest, 21602)
            Self.expectTwilioError(try await Self.post(client, "To=%2B447700900123&Body=Hi"), .badRequest, 21603)
            Self.expectTwilioError(try await Self.post(client, "To=%2B1555&From=%2B15005550006&Body=Hi"), .badRequest, 21211)
            let media = try await Self.post(client, "To=%2B447700900123&From=%2B15005550006&Body=Hi&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png")
            Self.expectTwilioError(media, .badRequest, 20422)
            #expect((media.json["message"] as? String)?.contains("MediaUrl") == true)
            var json: HTTPFields = [.contentType: "application/json", .authorization: Self.basic(Self.account, Self.token)]
            json[.accept] = "application/json"
            let asJSON = OTPTest.Reply(
                try await client.http.execute(uri: Self.path, method: .post, headers: json, body: ByteBuffer(string: #"{"To": "+447700900123", "Body": "Hi"}"#))
            )
            Self.expectTwilioError(asJSON, .unsupportedMediaType, 20422)
            let twice = try await Self.post(client, "To=%2B447700900123&To=%2B447700900456&From=%2B15005550006&Body=Hi")
            Self.expectTwilioError(twice, .badRequest, 20422)
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
        }
    }

    @Test func parametersTwilioDoesNotListAreIgnoredAsTwilioIgnoresThem() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml())) { client in
            let reply = try await Self.post(client, "To=%2B447700900123&From=%2B15005550006&Body=Hi&Foo=bar")
            #expect(reply.status == .created)
        }
    }

    /// Twilio's CreateMessage parameters, as `twilio_api_v2010.json` lists them: every one is either
    /// honoured or refused by name, and nothing else is read.
    @Test func everyParameterIsTwilios() {
        let twilios: Set<String> = [
            "To", "StatusCallback", "ApplicationSid", "MaxPrice", "ProvideFeedback", "Attempt", "ValidityPeriod", "ForceDelivery",
            "ContentRetention", "AddressRetention", "SmartEncoded", "PersistentAction", "TrafficType", "ShortenUrls", "ScheduleType",
            "SendAt", "SendAsMms", "ContentVariables", "RiskCheck", "From", "FallbackFrom", "MessagingServiceSid", "Body", "MediaUrl",
            "ContentSid",
        ]
        #expect(TwilioCreateMessageForm.accepted.isSubset(of: twilios))
        #expect(TwilioCreateMessageForm.accepted.union(TwilioCreateMessageForm.refused) == twilios)
        #expect(TwilioCreateMessageForm.accepted.isDisjoint(with: TwilioCreateMessageForm.refused))
    }

    @Test func messageSIDsAndIDsMapBothWays() throws {
        let id = MessageID.make()
        let sid = try #require(TwilioMessageSID.sid(forMessageID: id))
        #expect(sid.count == 34 && sid.hasPrefix("SM"))
        #expect(TwilioMessageSID.messageID(forSID: sid) == id)
        #expect(TwilioMessageSID.messageID(forSID: "SM" + String(repeating: "f", count: 32)) == nil)
        #expect(TwilioMessageSID.messageID(forSID: "SM0000zz") == nil)
    }
}
