import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// `otp.per_address`: codes per client address per hour, the address read from the app's trusted
/// header only.
@Suite("otp/send per client address", .timeLimit(.minutes(3)))
struct PerAddressLimitTests {
    static let yaml = OTPTest.yaml(otp: "{ per_address: { max_sends_per_hour: 2, header: X-End-User-IP } }")

    static func send(_ client: OTPTest.Client, token: String, to phone: String, headers extra: HTTPFields) async throws -> OTPTest.Reply {
        var headers = extra
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer \(token)"
        let body = #"{"channel": "sms", "identifier": "\#(phone)", "identifier_type": "phone_number"}"#
        return OTPTest.Reply(try await client.http.execute(uri: "/cis/v1/auth/otp/send", method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    @Test func oneAddressGetsItsHourlyCodesOverAnyNumbersThenWaits() async throws {
        let clock = ManualClock()
        let header = HTTPField.Name("X-End-User-IP")!
        try await OTPTest.withApp(config: try OTPTest.config(Self.yaml), clock: clock) { client in
            let token = try await client.clientToken()
            let numbers = (1...4).map { "+4477009004\(String(format: "%02d", $0))" }
            for number in numbers { _ = try await client.createUser(token, phone: number) }
            let attacker: HTTPFields = [header: "203.0.113.7, 10.0.0.1", .init("X-Forwarded-For")!: "198.51.100.1"]
            #expect(try await Self.send(client, token: token, to: numbers[0], headers: attacker).status == .ok)
            clock.advance(by: .seconds(60))
            #expect(try await Self.send(client, token: token, to: numbers[1], headers: attacker).status == .ok)
            clock.advance(by: .seconds(60))
            let refused = try await Self.send(client, token: token, to: numbers[2], headers: attacker)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "3480")
            // Another address is counted apart; X-Forwarded-For is never read.
            #expect(try await Self.send(client, token: token, to: numbers[2], headers: [header: "203.0.113.8"]).status == .ok)
            // Without the trusted header the send is refused: the address it needs is missing.
            let missing = try await Self.send(client, token: token, to: numbers[3], headers: [.init("X-Forwarded-For")!: "198.51.100.1"])
            #expect(missing.status == .badRequest)
            #expect(
                missing.json["message"] as? String
                    == "the X-End-User-IP header must carry the client's IP address: this app limits codes per client address (otp.per_address)"
            )
            // The hour passes for the first address.
            clock.advance(by: .seconds(3480))
            let renewed = try await client.clientToken()
            #expect(try await Self.send(client, token: renewed, to: numbers[3], headers: attacker).status == .ok)
        }
    }
}
