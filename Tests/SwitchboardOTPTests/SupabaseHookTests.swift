import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Supabase Auth's Send SMS hook: calls signed as Standard Webhooks sign them (computed here with
/// swift-crypto, apart from the server's own check) send Supabase's code as the app's OTP message;
/// every forged, altered, stale or replayed call is refused with nothing sent.
@Suite("Supabase Send SMS hook", .timeLimit(.minutes(3)))
struct SupabaseHookTests {
    static let key = Data((0..<32).map { UInt8($0) })
    static let secret = "v1,whsec_" + key.base64EncodedString()
    static let path = "/hooks/supabase/demo/send-sms"
    static let yaml = OTPTest.yaml(demo: "    supabase_hook: { secrets: [\"\(secret)\"] }")

    /// Supabase's payload, trimmed to what matters: the user's number without `+`, as Supabase stores it.
    static func payload(otp: String = "482915", phone: String = "447700900123") -> String {
        #"{"user": {"id": "6481a5c1-3d37-4a56-9f6a-bee08c554965", "phone": "\#(phone)", "app_metadata": {"provider": "phone"}}, "sms": {"otp": "\#(otp)", "sms_type": "otp"}}"#
    }

    static func signature(id: String, timestamp: Int64, body: String, key: Data = key) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Posts `body` with these headers, signed over `signedBody` unless a signature is given.
    static func call(
        _ client: OTPTest.Client, clock: ManualClock, body: String = payload(), signedBody: String? = nil, id: String = UUID().uuidString,
        timestamp: Int64? = nil, signature: String? = nil, path: String = path
    ) async throws -> OTPTest.Reply {
        let time = timestamp ?? Int64(clock.date.timeIntervalSince1970)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("webhook-id")!] = id
        headers[HTTPField.Name("webhook-timestamp")!] = String(time)
        headers[HTTPField.Name("webhook-signature")!] = signature ?? Self.signature(id: id, timestamp: time, body: signedBody ?? body)
        return OTPTest.Reply(try await client.http.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    static func expectRefused(_ reply: OTPTest.Reply, _ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        let error = reply.json["error"] as? [String: Any]
        #expect(error?["http_code"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(error?["code"] as? String == code, sourceLocation: sourceLocation)
        #expect((error?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func aSignedCallSendsSupabasesCodeAsTheAppsMessage() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let reply = try await Self.call(client, clock: clock)
            #expect(reply.status == .ok)
            #expect(reply.text == "{}")
            #expect(reply.headers[.contentType] == "application/json")
            let sent = try await client.inbox.latestInbox(to: OTPTest.phone, limit: 10)
            #expect(sent.map(\.text) == ["482915 is your Demo code."])
        }
    }

    @Test func smsPhoneWinsOverTheUsersNumber() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let body = #"{"user": {"phone": "447700900123"}, "sms": {"otp": "1234", "phone": "+447700900456"}}"#
            let accepted = try await Self.call(client, clock: clock, body: body)
            #expect(accepted.status == .ok)
            #expect(try await client.inboxCount(to: "+447700900456") == 1)
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
        }
    }

    @Test func forgedAlteredAndStaleCallsSendNothing() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let now = Int64(clock.date.timeIntervalSince1970)
            let otherKey = Data(repeating: 9, count: 32)
            let forged = try await Self.call(client, clock: clock, signature: Self.signature(id: "x", timestamp: now, body: Self.payload(), key: otherKey))
            Self.expectRefused(forged, .unauthorized, code: "invalid_signature")
            let altered = try await Self.call(client, clock: clock, body: Self.payload(phone: "447700900999"), signedBody: Self.payload())
            Self.expectRefused(altered, .unauthorized, code: "invalid_signature")
            let stale = try await Self.call(client, clock: clock, timestamp: now - 301)
            Self.expectRefused(stale, .unauthorized, code: "invalid_signature")
            let early = try await Self.call(client, clock: clock, timestamp: now + 301)
            Self.expectRefused(early, .unauthorized, code: "invalid_signature")
            var unsigned: HTTPFields = [.contentType: "application/json"]
            unsigned[HTTPField.Name("webhook-id")!] = "abc"
            let missing = OTPTest.Reply(try await client.http.execute(uri: Self.path, method: .post, headers: unsigned, body: ByteBuffer(string: Self.payload())))
            Self.expectRefused(missing, .unauthorized, code: "invalid_signature")
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
            #expect(try await client.inboxCount(to: "+447700900999") == 0)
        }
    }

    @Test func aReplayedCallIsRefused() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let original = try await Self.call(client, clock: clock, id: "msg_1")
            #expect(original.status == .ok)
            // Past the number's resend wait, so only the id can refuse it.
            clock.advance(by: .seconds(31))
            let now = Int64(clock.date.timeIntervalSince1970) - 31
            let replay = try await Self.call(client, clock: clock, id: "msg_1", timestamp: now)
            Self.expectRefused(replay, .unauthorized, code: "replayed")
            #expect(try await client.inboxCount(to: OTPTest.phone) == 1)
        }
    }

    @Test func theNumbersSendLimitsHold() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let first = try await Self.call(client, clock: clock)
            #expect(first.status == .ok)
            let again = try await Self.call(client, clock: clock)
            Self.expectRefused(again, .tooManyRequests, code: "too_many_sends")
            #expect(again.headers[.retryAfter] == "30")
            clock.advance(by: .seconds(30))
            let afterTheWait = try await Self.call(client, clock: clock)
            #expect(afterTheWait.status == .ok)
            #expect(try await client.inboxCount(to: OTPTest.phone) == 2)
        }
    }

    @Test func badPayloadsAreNamed() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            Self.expectRefused(try await Self.call(client, clock: clock, body: Self.payload(otp: "12ab56")), .badRequest, code: "invalid_field")
            Self.expectRefused(try await Self.call(client, clock: clock, body: #"{"user": {"phone": "447700900123"}}"#), .badRequest, code: "invalid_field")
            Self.expectRefused(try await Self.call(client, clock: clock, body: #"{"sms": {"otp": "123456"}}"#), .badRequest, code: "invalid_field")
            Self.expectRefused(try await Self.call(client, clock: clock, body: Self.payload(phone: "12")), .badRequest, code: "invalid_phone_number")
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
        }
    }

    @Test func theAppsAbuseRulesHold() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let premium = try await Self.call(client, clock: clock, body: Self.payload(phone: "449098790000"))
            Self.expectRefused(premium, .badRequest, code: "number_type_not_allowed")
            #expect(try await client.inboxCount(to: "+449098790000") == 0)
        }
    }

    @Test func anAppWithoutTheHookAnswersNotFound() async throws {
        let clock = ManualClock()
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            Self.expectRefused(try await Self.call(client, clock: clock, path: "/hooks/supabase/other/send-sms"), .notFound, code: "not_found")
            Self.expectRefused(try await Self.call(client, clock: clock, path: "/hooks/supabase/nobody/send-sms"), .notFound, code: "not_found")
            #expect(try await client.inboxCount(to: OTPTest.phone) == 0)
        }
    }
}
