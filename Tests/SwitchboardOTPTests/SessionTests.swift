import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import SwitchboardCore
import SwitchboardStore
import SwitchboardTestSupport
import Testing

@Suite("Refresh, logout, restart, conceal, custom gateway", .timeLimit(.minutes(3)))
struct SessionTests {
    @Test func refreshRotatesAndReuseRevokesTheSession() async throws {
        try await OTPTest.withApp { client in
            let (token, tokens) = try await client.logIn()
            let first = try #require(tokens["refresh_token"] as? String)
            let refreshed = try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(first)"}"#)
            #expect(refreshed.status == .ok)
            #expect(Set(refreshed.json.keys) == ["access_token", "id_token", "refresh_token", "token_type", "expires_in"])
            let second = try #require(refreshed.json["refresh_token"] as? String)
            #expect(second != first)
            // The rotated token is refused, and presenting it revoked the session: the new one dies too.
            let reused = try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(first)"}"#)
            #expect(reused.status == .badRequest)
            #expect(reused.json["error_code"] as? String == "invalid_refresh_token")
            #expect(try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(second)"}"#).status == .badRequest)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await OTPTest.withApp { client in
            let (token, tokens) = try await client.logIn()
            let session = try #require(tokens["session_id"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let other = try await client.clientToken(id: "other-backend", secret: "other-secret-0123456789")
            // Another app's client cannot end it.
            #expect(try await client.post("/cis/v1/auth/session/logout", token: other, #"{"session_id": "\#(session)"}"#).status == .notFound)
            let out = try await client.post("/cis/v1/auth/session/logout", token: token, #"{"session_id": "\#(session)"}"#)
            #expect(out.status == .noContent)
            #expect(out.text.isEmpty)
            #expect(try await client.post("/cis/v1/auth/token/refresh", token: token, #"{"refresh_token": "\#(refresh)"}"#).status == .badRequest)
            // Ending it again is idempotent for its own client.
            let again = try await client.post("/cis/v1/auth/session/logout", token: token, #"{"session_id": "\#(session)"}"#)
            #expect(again.status == .noContent)
        }
    }

    /// Stop the server between send and authenticate; the code, the client token and the signing
    /// key all survive in the SQLite file.
    @Test func restartBetweenSendAndAuthenticate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.path + "/switchboard.sqlite"
        let quiet = Logger(label: "otp-test") { _ in SwiftLogNoOpLogHandler() }
        let clock = ManualClock()
        let carried = Secrets()

        let first = try await SQLiteStore.open(path: path, logger: quiet)
        try await first.migrate()
        try await OTPTest.withApp(clock: clock, login: first, inbox: first, messages: first, services: [first]) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            #expect(try await client.send(token).status == .ok)
            carried.record([token, try await client.latestCode(), try await client.get("/cis/oidc/jwks").text])
        }
        // The store is closed with the server (it is one of its services).
        let afterShutdown = await #expect(throws: SQLiteStoreError.self) { try await first.latestInbox(to: nil, limit: 1) }
        #expect(afterShutdown.map { if case .closed = $0 { true } else { false } } == true, "\(String(describing: afterShutdown))")

        let second = try await SQLiteStore.open(path: path, logger: quiet)
        try await second.migrate()
        clock.advance(by: .seconds(60))
        try await OTPTest.withApp(clock: clock, login: second, inbox: second, messages: second, services: [second]) { client in
            let values = carried.values
            let (token, code, jwks) = (values[0], values[1], values[2])
            #expect(try await client.get("/cis/oidc/jwks").text == jwks)
            let reply = try await client.authenticate(token, code: code)
            #expect(reply.status == .ok)
            let idToken = try #require(reply.json["id_token"] as? String)
            let keys = try await JWTKeyCollection().add(jwksJSON: jwks)
            #expect(try await keys.verify(idToken, as: RelyingPartyIDToken.self).phone_number_verified)
        }
    }

    @Test func concealAnswersUnknownUsersLikeKnownOnesAndSendsNothing() async throws {
        let yaml = OTPTest.yaml(demo: "    unknown_users: conceal")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let known = try await client.send(token)
            let unknown = try await client.send(token, phone: "+447700900999")
            #expect(known.status == .ok)
            #expect(unknown.status == known.status)
            #expect(unknown.text == known.text)
            #expect(unknown.headers[.contentType] == known.headers[.contentType])
            // The known user's code arrives (delivery runs after the answer); the unknown gets nothing.
            let delivered = try await client.inboxCount(reaching: 1)
            #expect(delivered == 1)
            #expect(try await client.inboxCount(to: "+447700900999") == 0)
            // Authenticating an unknown user looks like a wrong code, not a 404.
            let auth = try await client.authenticate(token, code: "123456", phone: "+447700900999")
            #expect(auth.status == .badRequest)
            #expect(auth.json["error_code"] as? String == "auth_invalid_credentials")
            // The send limits apply to unknown numbers as to known ones.
            #expect(try await client.send(token, phone: "+447700900999").status == .tooManyRequests)
        }
    }

    /// Conceal mode must not tell by its timing who is a user. Instead of timing answers (which
    /// depends on the machine's load), this checks what the time would come from: a known user's
    /// answer does not wait for the message's delivery, and both answers take the same store steps.
    @Test func concealAnswersKnownUsersBeforeDeliveryWithTheSameStoreStepsAsUnknownOnes() async throws {
        let yaml = OTPTest.yaml(demo: "    unknown_users: conceal")
        let login = RecordingLoginStore()
        let messages = MemoryStore()
        let delivery = Gate()
        let inbox = GatedInbox(base: messages, gate: delivery)
        try await OTPTest.withApp(config: try OTPTest.config(yaml), login: login, inbox: inbox, messages: messages) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let known = try await login.callsDuring {
                try await answeredBeforeDelivery(delivery) { try await client.send(token) }
            }
            let unknown = try await login.callsDuring { try await client.send(token, phone: "+447700900999") }
            #expect(known.value.status == .ok)
            #expect(unknown.value.status == .ok)
            #expect(unknown.value.text == known.value.text)
            // The conversion rule's view is read from the store once every few seconds, whoever sends.
            let knownSteps = known.calls.filter { $0 != "conversionTallies" }
            #expect(knownSteps == ["user", "issueChallenge, counting the send, the prefix, the budget, the conversion"])
            #expect(unknown.calls.filter { $0 != "conversionTallies" } == knownSteps)
            delivery.open()
            let delivered = try await client.inboxCount(reaching: 1)
            #expect(delivered == 1)
            #expect(try await client.inboxCount(to: "+447700900999") == 0)
        }
    }

    @Test func mosaicCustomGatewayVerifiesAndSends() async throws {
        let messages: any MessageStore & InboxStore = MemoryStore()
        try await OTPTest.withApp(inbox: messages, messages: messages) { client in
            let name = try #require(HTTPField.Name("X-API-Key"))
            let verification = try #require(HTTPField.Name("X-Verification-Key"))
            let good = try await client.get("/mosaic/sms?app=demo", headers: [name: "test-api-key-1", verification: "AbCdZ3hJxx826qTmvwepy"])
            #expect(good.status == .ok)
            #expect(good.json["key"] as? String == "AbCdZ3hJxx826qTmvwepy")
            #expect(good.headers[.contentType] == "application/json")
            let bad = try await client.get("/mosaic/sms?app=demo", headers: [name: "wrong", verification: "x"])
            #expect(bad.status == .badRequest)

            let body = #"{"phone_number": "+447700900123", "sender_id": "ACME", "message": "Your code is 482913"}"#
            let refused = try await client.http.execute(uri: "/mosaic/sms?app=demo", method: .post, headers: [name: "wrong", .contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(refused.status == .unauthorized)
            let sent = try await client.http.execute(uri: "/mosaic/sms?app=demo", method: .post, headers: [name: "test-api-key-1", .contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(sent.status == .ok)
            let delivered = try #require(try await messages.latestInbox(to: "+447700900123", limit: 1).first)
            #expect(delivered.text == "Your code is 482913")
            #expect(delivered.from == "ACME")
            // The message log masks the code.
            let record = try #require(try await messages.recentMessages(to: "+447700900123", limit: 1).first)
            #expect(record.loggedText == "Your code is ******")
        }
    }
}

/// `request`'s reply, which must come while `delivery` is still held. Should the answer wait for the
/// delivery instead, the gate is opened after `limit`, and the test fails rather than hanging.
private func answeredBeforeDelivery(
    _ delivery: Gate, within limit: Duration = .seconds(30), _ request: @escaping @Sendable () async throws -> OTPTest.Reply
) async throws -> OTPTest.Reply {
    try await withThrowingTaskGroup(of: OTPTest.Reply?.self) { group in
        group.addTask { try await request() }
        group.addTask {
            try await Task.sleep(for: limit)
            Issue.record("the answer waited for the message's delivery")
            delivery.open()
            return nil
        }
        while let next = try await group.next() {
            if let reply = next {
                group.cancelAll()
                return reply
            }
        }
        throw CancellationError()
    }
}
