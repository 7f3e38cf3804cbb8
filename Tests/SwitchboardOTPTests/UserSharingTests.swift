import Foundation
import HTTPTypes
import Testing

/// One app's client can never find, read, attach or log into a user of an app it does not share
/// users with; apps that declare sharing work as one pool.
@Suite("Users across apps")
struct UserSharingTests {
    static let sharing = OTPTest.yaml(demo: "    users: { shared_with: [other] }")
        .replacingOccurrences(of: "clients: [{ id: other-backend", with: "users: { shared_with: [demo] }\n    clients: [{ id: other-backend")

    /// Carol, a user of demo with custom data, and the other app's client token.
    func carol(_ client: OTPTest.Client) async throws -> (demo: String, other: String, carolID: String) {
        let demo = try await client.clientToken()
        let created = try await client.post(
            "/cis/v1/users", token: demo, #"{"phone_number": "+447700900171", "username": "carol171", "email": "carol@example.com", "custom_data": {"plan": "gold"}}"#
        )
        #expect(created.status == .created)
        let id = try #require((created.json["result"] as? [String: Any])?["user_id"] as? String)
        let other = try await client.clientToken(id: OTPTest.otherID, secret: OTPTest.otherSecret)
        return (demo, other, id)
    }

    @Test func anIsolatedAppCanNeitherReadAttachSendToNorLogInAsAnotherAppsUser() async throws {
        try await OTPTest.withApp { client in
            let (_, other, carolID) = try await carol(client)
            // Read: as an unknown user.
            let read = try await client.get("/cis/v1/users/phone-number/+447700900171", token: other)
            #expect(read.status == .notFound)
            // Send and authenticate before any create: as an unknown user.
            let send = try await client.send(other, phone: "+447700900171")
            #expect(send.status == .notFound)
            #expect(send.json["error_code"] as? String == "user_not_found")
            for (type, value) in [("username", "carol171"), ("email", "carol@example.com"), ("user_id", carolID)] {
                let byOther = try await client.post(
                    "/cis/v1/auth/otp/send", token: other, #"{"channel": "sms", "identifier": "\#(value)", "identifier_type": "\#(type)"}"#
                )
                #expect(byOther.json["error_code"] as? String == "user_not_found", "\(type)")
            }
            #expect(try await client.inboxCount(to: "+447700900171") == 0)
            #expect(try await client.authenticate(other, code: "123456", phone: "+447700900171").json["error_code"] as? String == "user_not_found")
            // Attach by username or email: the other app gets a user of its own, without Carol's data.
            let attach = try await client.post("/cis/v1/users", token: other, #"{"username": "carol171", "email": "carol@example.com"}"#)
            #expect(attach.status == .created)
            let attached = try #require(attach.json["result"] as? [String: Any])
            #expect(attached["user_id"] as? String != carolID)
            #expect(attached["custom_data"] == nil)
            #expect(attached["phone_number"] == nil)
            // Its own user has no phone: a code by username goes nowhere near Carol.
            let byUsername = try await client.post(
                "/cis/v1/auth/otp/send", token: other, #"{"channel": "sms", "identifier": "carol171", "identifier_type": "username"}"#
            )
            #expect(byUsername.json["error_code"] as? String == "user_phone_number_missing")
            #expect(try await client.inboxCount(to: "+447700900171") == 0)
        }
    }

    @Test func anIsolatedAppsUserWithTheSameNumberIsItsOwn() async throws {
        try await OTPTest.withApp { client in
            let (_, other, carolID) = try await carol(client)
            let ownID = try await client.createUser(other, phone: "+447700900171")
            #expect(ownID != carolID)
            #expect(try await client.send(other, phone: "+447700900171").status == .ok)
            let tokens = try await client.authenticate(other, code: try await client.latestCode(to: "+447700900171"), phone: "+447700900171")
            #expect(tokens.status == .ok)
            let idToken = try #require(tokens.json["id_token"] as? String)
            let payload = try #require(Data(base64URL: String(idToken.split(separator: ".")[1])))
            let claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            #expect(claims["sub"] as? String == ownID)
        }
    }

    @Test func appsThatDeclareSharingAttachReadSendAndLogInAsToday() async throws {
        try await OTPTest.withApp(config: try OTPTest.config(Self.sharing)) { client in
            let (_, other, carolID) = try await carol(client)
            // Not a member of the other app yet: unknown there until it is added.
            #expect(try await client.get("/cis/v1/users/phone-number/+447700900171", token: other).status == .notFound)
            let attach = try await client.post("/cis/v1/users", token: other, #"{"email": "carol@example.com", "username": "carol171"}"#)
            #expect(attach.status == .created)
            let attached = try #require(attach.json["result"] as? [String: Any])
            #expect(attached["user_id"] as? String == carolID)
            #expect(attached["custom_data"] as? [String: String] == ["plan": "gold"])
            #expect(attached["app_name"] as? String == "Other")
            #expect(try await client.get("/cis/v1/users/phone-number/+447700900171", token: other).status == .ok)
            #expect(try await client.send(other, phone: "+447700900171").status == .ok)
            let tokens = try await client.authenticate(other, code: try await client.latestCode(to: "+447700900171"), phone: "+447700900171")
            #expect(tokens.status == .ok)
        }
    }
}
