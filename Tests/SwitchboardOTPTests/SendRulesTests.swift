import Foundation
import HTTPTypes
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// The abuse rules a send meets before anything is stored or sent: the kind of line, the sender,
/// and links in a custom message. Each refusal is a `400` with its own code, and sends nothing.
@Suite("otp/send abuse rules", .timeLimit(.minutes(3)))
struct SendRulesTests {
    static func expectRefused(
        _ reply: OTPTest.Reply, code: String, message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == .badRequest, sourceLocation: sourceLocation)
        #expect(Set(reply.json.keys) == ["error_code", "message"], sourceLocation: sourceLocation)
        #expect(reply.json["error_code"] as? String == code, sourceLocation: sourceLocation)
        #expect(reply.json["message"] as? String == message, sourceLocation: sourceLocation)
    }

    static let premiumRate = "+19005550100"
    static let satellite = "+881612345678"
    static let fixedLine = "+442079460000"
    static let tollFree = "+448001234567"

    @Test(arguments: [
        (premiumRate, "premium_rate"), (satellite, "satellite"), (fixedLine, "fixed_line"), (tollFree, "toll_free"),
    ])
    func numbersThatAreNotMobilesAreRefusedByDefault(number: String, type: String) async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token, phone: number)
            Self.expectRefused(
                try await client.send(token, phone: number), code: "number_type_not_allowed",
                message: "identifier is a \(type) number; this app sends codes only to mobile, fixed_line_or_mobile numbers (otp.number_types in its configuration)"
            )
            #expect(try await client.inboxCount(to: number) == 0)
        }
    }

    @Test func mobilesAndNorthAmericanNumbersAreSentTo() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            for number in ["+447700900123", "+14155550100", "+33612345678"] {
                _ = try await client.createUser(token, phone: number)
                #expect(try await client.send(token, phone: number).status == .ok, "\(number)")
            }
        }
    }

    @Test func anAppCanAllowOtherTypes() async throws {
        let yaml = OTPTest.yaml(otp: "{ number_types: [mobile, fixed_line] }")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token, phone: Self.fixedLine)
            #expect(try await client.send(token, phone: Self.fixedLine).status == .ok)
            // fixed_line_or_mobile is no longer listed, so the whole of +1 is refused.
            _ = try await client.createUser(token, phone: "+14155550100")
            Self.expectRefused(
                try await client.send(token, phone: "+14155550100"), code: "number_type_not_allowed",
                message: "identifier is a fixed_line_or_mobile number; this app sends codes only to mobile, fixed_line numbers (otp.number_types in its configuration)"
            )
        }
    }

    @Test func aSenderIsTheRoutesOrOneTheAppLists() async throws {
        let yaml = OTPTest.yaml(demo: "    senders: [ACME]")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            func send(from sender: String) async throws -> OTPTest.Reply {
                try await client.post(
                    "/cis/v1/auth/otp/send", token: token,
                    #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_sms_input": {"sender_id": "\#(sender)"}}"#
                )
            }
            Self.expectRefused(
                try await send(from: "HSBC"), code: "sender_not_allowed",
                message: "custom_sms_input.sender_id HSBC is not allowed for this app; use one of Demo, ACME or leave it out (senders in its configuration)"
            )
            #expect(try await client.inboxCount() == 0)
            #expect(try await send(from: "Demo").status == .ok)
            let message = try #require(try await client.inbox.latestInbox(to: OTPTest.phone, limit: 1).first)
            #expect(message.from == "Demo")
        }
    }

    @Test func withoutSendersOnlyTheRoutesSenderIsAllowed() async throws {
        try await OTPTest.withApp { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            let reply = try await client.post(
                "/cis/v1/auth/otp/send", token: token,
                #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_sms_input": {"sender_id": "ACME"}}"#
            )
            Self.expectRefused(
                reply, code: "sender_not_allowed",
                message: "custom_sms_input.sender_id ACME is not allowed for this app; use one of Demo or leave it out (senders in its configuration)"
            )
        }
    }

    /// The probe's phishing text, refused; a link to a listed domain (or its subdomain) goes.
    @Test func linksGoOnlyToListedDomains() async throws {
        let yaml = OTPTest.yaml(demo: "    link_domains: [demo.example]")
        try await OTPTest.withApp(config: try OTPTest.config(yaml)) { client in
            let token = try await client.clientToken()
            _ = try await client.createUser(token)
            func send(_ message: String) async throws -> OTPTest.Reply {
                try await client.post(
                    "/cis/v1/auth/otp/send", token: token,
                    #"{"channel": "sms", "identifier": "\#(OTPTest.phone)", "identifier_type": "phone_number", "custom_sms_input": {"custom_message": "\#(message)"}}"#
                )
            }
            Self.expectRefused(
                try await send("{app}: http://evil.example/x?c={otp}"), code: "link_not_allowed",
                message: "custom_sms_input.custom_message links to evil.example; this app allows links only to demo.example (link_domains in its configuration)"
            )
            #expect(try await client.inboxCount() == 0)
            #expect(try await send("{otp} is your {app} code: https://login.demo.example/otp").status == .ok)
            #expect(try await client.inboxCount() == 1)
        }
    }

    @Test func configurationMistakesNameTheirPlace() {
        let type = OTPTest.configProblems(OTPTest.yaml(otp: "{ number_types: [mobile, premium-rate] }"))
        #expect(type.count == 1)
        #expect(type.first?.hasPrefix("test.yaml:8:35:") == true, "\(type)")
        #expect(type.first?.contains("did you mean 'premium_rate'?") == true, "\(type)")
        let empty = OTPTest.configProblems(OTPTest.yaml(otp: "{ number_types: [] }"))
        #expect(empty.first?.hasPrefix("test.yaml:8:") == true && empty.first?.contains("is empty") == true, "\(empty)")
        let twice = OTPTest.configProblems(OTPTest.yaml(otp: "{ number_types: [mobile, mobile] }"))
        #expect(twice.first?.contains("listed twice") == true, "\(twice)")
        let sender = OTPTest.configProblems(OTPTest.yaml(demo: "    senders: [\"+14155550100\"]"))
        #expect(sender.first?.hasPrefix("test.yaml:10:") == true && sender.first?.contains("alphanumeric sender") == true, "\(sender)")
        let domain = OTPTest.configProblems(OTPTest.yaml(demo: "    link_domains: [\"https://demo.example/\"]"))
        #expect(domain.first?.hasPrefix("test.yaml:10:") == true && domain.first?.contains("not a domain name") == true, "\(domain)")
        let custom = OTPTest.configProblems(OTPTest.yaml(demo: "    custom_phone_number: { allow: yes please }"))
        #expect(custom.first?.hasPrefix("test.yaml:10:") == true, "\(custom)")
    }
}
