import Foundation
import Testing

/// The login rules hold across three real daemons sharing one PostgreSQL, as they hold in one.
// One cluster at a time: three daemons per test are already as much as a 2-core machine runs beside the
// rest of the suite, whose timing tests (provider deadlines) must not starve.
@Suite("Several daemons on one PostgreSQL", .serialized, .timeLimit(.minutes(3)))
struct MultiDaemonTests {
    static let phone = "+447700900123"

    @Test("60 concurrent wrong codes spread over 3 daemons: exactly max_failures are judged, the rest are auth_locked")
    func wrongCodesSpreadOverDaemonsLockAfterMaxFailures() async throws {
        try await DaemonCluster.with(3) { cluster in
            let token = try await cluster.clientToken(from: 0)
            let code = try await cluster.userWithCode(phone: Self.phone, token: token)
            let wrong = code == "000000" ? "111111" : "000000"
            let answers = try await withThrowingTaskGroup(of: DaemonCluster.Answer.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await cluster.authenticate(index % 3, phone: Self.phone, code: wrong, token: token)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // The shipped demo app has max_failures 3.
            #expect(answers.count { $0.status == 400 && $0.text("error_code") == "auth_invalid_credentials" } == 3)
            #expect(answers.count { $0.status == 403 && $0.text("error_code") == "auth_locked" } == 57)
        }
    }

    @Test("every daemon's JWKS serves the one signing key, and a client token from one daemon works on the others")
    func daemonsShareOneSigningKey() async throws {
        try await DaemonCluster.with(3) { cluster in
            var keySets: [Data] = []
            for daemon in 0..<3 {
                let answer = try await cluster.request(daemon, "GET", "/cis/oidc/jwks")
                try #require(answer.status == 200)
                keySets.append(answer.data)
            }
            let keys = try #require((try JSONSerialization.jsonObject(with: keySets[0]) as? [String: Any])?["keys"] as? [Any])
            #expect(keys.count == 1)
            #expect(keySets[1] == keySets[0])
            #expect(keySets[2] == keySets[0])
            let token = try await cluster.clientToken(from: 2)
            let created = try await cluster.request(0, "POST", "/cis/v1/users", json: ["phone_number": Self.phone], bearer: token)
            #expect(created.status == 201, "create user with daemon 2's token on daemon 0: \(created.body)")
        }
    }

    @Test("30 concurrent code sends to one user over 3 daemons: one is sent, the other 29 meet the cooldown")
    func sendsSpreadOverDaemonsKeepTheCooldown() async throws {
        try await DaemonCluster.with(3) { cluster in
            let token = try await cluster.clientToken(from: 0)
            let created = try await cluster.request(0, "POST", "/cis/v1/users", json: ["phone_number": Self.phone], bearer: token)
            try #require(created.status == 201, "create user: \(created.body)")
            let answers = try await withThrowingTaskGroup(of: DaemonCluster.Answer.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await cluster.request(
                            index % 3, "POST", "/cis/v1/auth/otp/send",
                            json: ["channel": "sms", "identifier_type": "phone_number", "identifier": Self.phone], bearer: token
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // The shipped demo app has resend_after 30s: the first send starts it for every daemon.
            #expect(answers.count { $0.status == 200 && $0.text("message") == "OTP sent" } == 1)
            #expect(answers.count { $0.status == 429 && $0.text("error_code") == "too_many_requests" } == 29)
            let encoded = try #require(Self.phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let inbox = try await cluster.request(1, "GET", "/v1/inbox?to=\(encoded)", bearer: "sb_local_development_key")
            #expect((inbox.body["messages"] as? [Any])?.count == 1)
        }
    }

    @Test("30 concurrent code sends to one user over 3 daemons without a cooldown: exactly max_sends_per_hour are sent, the rest get 429")
    func sendsSpreadOverDaemonsKeepTheHourlyLimit() async throws {
        // The shipped demo app allows 10 sends per hour; without the cooldown only that limit refuses.
        try await DaemonCluster.with(3, editing: [(line: "resend_after: 30s", with: "resend_after: 0s")]) { cluster in
            let token = try await cluster.clientToken(from: 0)
            let created = try await cluster.request(0, "POST", "/cis/v1/users", json: ["phone_number": Self.phone], bearer: token)
            try #require(created.status == 201, "create user: \(created.body)")
            let answers = try await withThrowingTaskGroup(of: DaemonCluster.Answer.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        try await cluster.request(
                            index % 3, "POST", "/cis/v1/auth/otp/send",
                            json: ["channel": "sms", "identifier_type": "phone_number", "identifier": Self.phone], bearer: token
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count { $0.status == 200 && $0.text("message") == "OTP sent" } == 10)
            let refused = answers.filter { $0.status != 200 }
            #expect(
                refused.count { $0.status == 429 && $0.text("error_code") == "too_many_requests" } == 20,
                "refusals: \(refused.map { "\($0.status) \(String(decoding: $0.data, as: UTF8.self))" }); errors: \(cluster.errors)"
            )
            let encoded = try #require(Self.phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let inbox = try await cluster.request(2, "GET", "/v1/inbox?to=\(encoded)", bearer: "sb_local_development_key")
            #expect((inbox.body["messages"] as? [Any])?.count == 10)
        }
    }

    @Test("the right code sent to two daemons at once logs in once")
    func oneCodeSentToTwoDaemonsAtOnceLogsInOnce() async throws {
        try await DaemonCluster.with(3) { cluster in
            let token = try await cluster.clientToken(from: 0)
            let code = try await cluster.userWithCode(phone: Self.phone, token: token)
            async let onFirst = cluster.authenticate(1, phone: Self.phone, code: code, token: token)
            async let onSecond = cluster.authenticate(2, phone: Self.phone, code: code, token: token)
            let answers = try await [onFirst, onSecond]
            #expect(answers.count { $0.status == 200 && $0.text("refresh_token") != nil } == 1)
            #expect(answers.count { $0.status == 400 && $0.text("error_code") == "auth_invalid_credentials" } == 1)
        }
    }

    @Test("a refresh token rotated on daemon A and replayed on daemon B revokes the session on every daemon")
    func refreshTokenReplayedOnAnotherDaemonRevokesTheSession() async throws {
        try await DaemonCluster.with(3) { cluster in
            let token = try await cluster.clientToken(from: 0)
            let code = try await cluster.userWithCode(phone: Self.phone, token: token)
            let login = try await cluster.authenticate(0, phone: Self.phone, code: code, token: token)
            let first = try #require(login.text("refresh_token"), "login: \(login.body)")
            let rotated = try await cluster.request(0, "POST", "/cis/v1/auth/token/refresh", json: ["refresh_token": first], bearer: token)
            let second = try #require(rotated.text("refresh_token"), "rotation: \(rotated.body)")
            let replay = try await cluster.request(1, "POST", "/cis/v1/auth/token/refresh", json: ["refresh_token": first], bearer: token)
            #expect(replay.status == 400 && replay.text("error_code") == "invalid_refresh_token")
            // The replay revoked the session, so the token the rotation handed out no longer works either.
            let afterReplay = try await cluster.request(2, "POST", "/cis/v1/auth/token/refresh", json: ["refresh_token": second], bearer: token)
            #expect(afterReplay.status == 400 && afterReplay.text("error_code") == "invalid_refresh_token")
        }
    }
}
