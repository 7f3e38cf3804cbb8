import Foundation
import SwitchboardCore
import Testing

@testable import SwitchboardServer

/// The Standard Webhooks signature check, without a server: the published example, and each way a
/// call can be wrong.
@Suite("Standard Webhooks signatures")
struct StandardWebhookSignatureTests {
    /// The example of the Standard Webhooks specification.
    static let secret = try! StandardWebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").get()
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp: Int64 = 1_614_265_330
    static let body = Array(#"{"test": 2432232314}"#.utf8)
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let now = Date(timeIntervalSince1970: TimeInterval(timestamp))

    static func verify(
        id: String? = id, timestamp: String? = String(timestamp), signature: String? = signature, body: [UInt8] = body,
        secrets: [StandardWebhookSecret] = [secret], now: Date = now
    ) -> StandardWebhookSignature.Refusal? {
        do {
            try StandardWebhookSignature.verify(id: id, timestamp: timestamp, signature: signature, body: body, secrets: secrets, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func theSpecificationsExampleVerifiesAndSignsAlike() {
        #expect(Self.verify() == nil)
        #expect(StandardWebhookSignature.sign(id: Self.id, timestamp: Self.timestamp, body: Self.body, secret: Self.secret) == Self.signature)
    }

    @Test func supabasesSeparatorsAndSeveralEntriesAreRead() {
        let other = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        #expect(Self.verify(signature: "\(other), \(Self.signature)") == nil)
        #expect(Self.verify(signature: "v2,abc \(Self.signature)") == nil)
        #expect(Self.verify(signature: other) == .wrongSignature)
    }

    @Test func anyOfSeveralSecretsVerifies() throws {
        let retired = try StandardWebhookSecret.parse("v1,whsec_" + Data(repeating: 7, count: 32).base64EncodedString()).get()
        #expect(Self.verify(secrets: [retired, Self.secret]) == nil)
        #expect(Self.verify(secrets: [retired]) == .wrongSignature)
    }

    @Test func aChangedBodyIdOrTimestampIsRefused() {
        #expect(Self.verify(body: Array(#"{"test": 2432232315}"#.utf8)) == .wrongSignature)
        #expect(Self.verify(id: "msg_other") == .wrongSignature)
        #expect(Self.verify(timestamp: String(Self.timestamp + 1)) == .wrongSignature)
    }

    @Test func timestampsFurtherThanFiveMinutesEitherWayAreRefused() {
        let tolerance = TimeInterval(StandardWebhookSignature.tolerance)
        #expect(Self.verify(now: Self.now.addingTimeInterval(tolerance)) == nil)
        #expect(Self.verify(now: Self.now.addingTimeInterval(-tolerance)) == nil)
        #expect(Self.verify(now: Self.now.addingTimeInterval(tolerance + 1)) == .stale)
        #expect(Self.verify(now: Self.now.addingTimeInterval(-tolerance - 1)) == .stale)
    }

    @Test func missingAndMalformedHeadersAreNamed() {
        #expect(Self.verify(id: nil) == .missingHeader("webhook-id"))
        #expect(Self.verify(id: "a.b") == .malformedHeader("webhook-id"))
        #expect(Self.verify(timestamp: nil) == .missingHeader("webhook-timestamp"))
        #expect(Self.verify(timestamp: "-1614265330") == .malformedHeader("webhook-timestamp"))
        #expect(Self.verify(timestamp: "1614265330.5") == .malformedHeader("webhook-timestamp"))
        #expect(Self.verify(signature: nil) == .missingHeader("webhook-signature"))
        #expect(Self.verify(signature: "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=") == .malformedHeader("webhook-signature"))
    }

    @Test func aReplayedIDIsRefusedUntilItsWindowEnds() {
        var ids = RecentWebhookIDs(window: 600, capacity: 3)
        // (id, seconds after the first call, admitted?)
        let calls: [(String, TimeInterval, Bool)] = [
            ("a", 0, true), ("a", 599, false), ("a", 600, true),
            // Past its capacity the oldest id goes first: "a" is forgotten when "d" comes.
            ("b", 601, true), ("c", 602, true), ("d", 603, true), ("d", 604, false), ("a", 605, true),
        ]
        var admitted: [Bool] = []
        for (id, seconds, _) in calls {
            admitted.append(ids.admit(id, at: Self.now.addingTimeInterval(seconds)))
        }
        #expect(admitted == calls.map(\.2))
    }
}

@Suite("Standard Webhooks secrets in the configuration")
struct StandardWebhookSecretTests {
    @Test func theFormsSupabaseShowsAreRead() throws {
        let key = Data(repeating: 1, count: 24)
        #expect(try StandardWebhookSecret.parse("v1,whsec_" + key.base64EncodedString()).get().key == Array(key))
        #expect(try StandardWebhookSecret.parse("whsec_" + key.base64EncodedString()).get().key == Array(key))
    }

    @Test func otherTextIsRefusedWithItsReason() {
        #expect(throws: StandardWebhookSecret.ParseProblem.missingPrefix) { try StandardWebhookSecret.parse("secret-0123456789abcdef").get() }
        #expect(throws: StandardWebhookSecret.ParseProblem.notBase64) { try StandardWebhookSecret.parse("v1,whsec_not base64!").get() }
        let short = Data(repeating: 1, count: 8).base64EncodedString()
        #expect(throws: StandardWebhookSecret.ParseProblem.tooShort(bytes: 8)) { try StandardWebhookSecret.parse("v1,whsec_" + short).get() }
    }
}
