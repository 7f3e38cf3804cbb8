import Foundation
import HummingbirdTesting
import SwitchboardTestSupport
import Testing

/// The login flow as an old node-fetch client drives it: every request carries `Connection: close`,
/// and the next request opens a new connection.
@Suite("OTP login with a Connection: close client")
struct ConnectionCloseClientTests {
    /// Sends one request on a new connection with `Connection: close`, as node-fetch 2.6.12 does, and
    /// checks that the server says it will close and does.
    func exchange(port: Int, _ method: String, _ path: String, contentType: String, token: String? = nil, body: String) async throws
        -> RawHTTPConnection.Response
    {
        try await RawHTTPConnection.with(port: port) { connection in
            var request = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: \(contentType)\r\n"
            if let token { request += "Authorization: Bearer \(token)\r\n" }
            request += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            try await connection.send(request)
            let response = try await connection.readResponse()
            #expect(response.header("Connection") == "close", "\(path) must say it closes")
            try await connection.waitForClose(within: .seconds(60))
            return response
        }
    }

    func json(_ response: RawHTTPConnection.Response) -> [String: Any] {
        jsonObject(response.body.utf8) ?? [:]
    }

    @Test("create user, send and authenticate, each on its own closed connection")
    func loginFlow() async throws {
        try await OTPTest.withApp(testing: .live) { client in
            let port = try #require(client.http.port)
            let tokenReply = try await exchange(
                port: port, "POST", "/oidc/token", contentType: "application/x-www-form-urlencoded",
                body: "client_id=\(OTPTest.clientID)&client_secret=\(OTPTest.clientSecret)&grant_type=client_credentials"
            )
            #expect(tokenReply.status == 200)
            let token = try #require(json(tokenReply)["access_token"] as? String)
            let created = try await exchange(
                port: port, "POST", "/cis/v1/users", contentType: "application/json", token: token, body: #"{"phone_number": "\#(OTPTest.phone)"}"#
            )
            #expect(created.status == 201)
            let sent = try await exchange(
                port: port, "POST", "/cis/v1/auth/otp/send", contentType: "application/json", token: token,
                body: #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"}"#
            )
            #expect(sent.status == 200)
            let code = try await client.latestCode()
            let authenticated = try await exchange(
                port: port, "POST", "/cis/v1/auth/otp/authenticate", contentType: "application/json", token: token,
                body: #"{"passcode": "\#(code)", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number"}"#
            )
            #expect(authenticated.status == 200)
            #expect(json(authenticated)["id_token"] is String)
        }
    }
}
