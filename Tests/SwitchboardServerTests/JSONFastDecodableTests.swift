import Foundation
import Hummingbird
import SwitchboardJSON
import Testing

@testable import SwitchboardServer

/// The hand-written readers of request bodies must agree with `JSONDecoder` wherever they decide,
/// and leave to it every body it would refuse, so its error messages stay the answer.
@Suite struct JSONFastDecodableTests {
    typealias SendRequestBody = MessagesController<BasicRequestContext>.SendRequestBody
    typealias OTPBody = MosaicOTPController<SwitchboardRequestContext>.SendBody

    static let fieldValues: [String] = [
        #""text""#, #""""#, "null", "1", "-3", "1.0", "1e1", "true", "false", #"[]"#, #"{}"#, #"{"custom_message":"hi","sender_id":null}"#,
        #"{"a":"b"}"#, #"{"a":1}"#, "99999999999999999999",
    ]

    /// Bodies in which each field is absent, right (`good`), or anything from `fieldValues`.
    static func bodies(fields: [String], good: [String: String] = [:], count: Int) -> [String] {
        var state: UInt64 = 0xABCD
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        return (0..<count).map { _ in
            let members = fields.compactMap { field -> String? in
                switch next() % 8 {
                case 0: nil
                case 1, 2: "\"\(field)\":\(fieldValues[next() % fieldValues.count])"
                default: "\"\(field)\":\(good[field] ?? #""text""#)"
                }
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    func object(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try JSONReader.parse(text) else { throw JSONFastPathMiss() }
        return object
    }

    @Test func sendBodyAgreesWithJSONDecoder() throws {
        var decided = 0
        for text in Self.bodies(fields: ["to", "app", "kind", "text", "otp", "minutes", "sender", "async"], good: ["minutes": "5", "async": "true"], count: 3_000) {
            let slow = try? JSONDecoder().decode(SendRequestBody.self, from: Data(text.utf8))
            guard let fast = try? SendRequestBody(fastPath: object(text)) else { continue }
            decided += 1
            guard let slow else {
                Issue.record("the fast path read a body JSONDecoder refuses: \(text)")
                continue
            }
            #expect(
                [fast.to, fast.app, fast.kind, fast.text, fast.otp, fast.sender] == [slow.to, slow.app, slow.kind, slow.text, slow.otp, slow.sender],
                "\(text)"
            )
            #expect(fast.minutes == slow.minutes, "\(text)")
            #expect(fast.async == slow.async, "\(text)")
        }
        #expect(decided > 300, "only \(decided) bodies took the fast path")
    }

    @Test func otpSendBodyAgreesWithJSONDecoder() throws {
        var decided = 0
        let fields = [
            "channel", "identifier_type", "identifier", "custom_sms_input", "custom_phone_number", "expires_in", "approval_data",
            "generate_request_id",
        ]
        for text in Self.bodies(
            fields: fields,
            good: [
                "custom_sms_input": #"{"custom_message":"hi"}"#, "expires_in": "5", "approval_data": #"{"a":"b"}"#, "generate_request_id": "true",
            ],
            count: 5_000
        ) {
            let slow = try? JSONDecoder().decode(OTPBody.self, from: Data(text.utf8))
            guard let fast = try? OTPBody(fastPath: object(text)) else { continue }
            decided += 1
            guard let slow else {
                Issue.record("the fast path read a body JSONDecoder refuses: \(text)")
                continue
            }
            #expect(
                [fast.channel, fast.identifier_type, fast.identifier, fast.custom_phone_number] == [
                    slow.channel, slow.identifier_type, slow.identifier, slow.custom_phone_number,
                ]
            )
            #expect(fast.custom_sms_input?.custom_message == slow.custom_sms_input?.custom_message)
            #expect(fast.custom_sms_input?.sender_id == slow.custom_sms_input?.sender_id)
            #expect((fast.custom_sms_input == nil) == (slow.custom_sms_input == nil))
            #expect(
                fast.expires_in == slow.expires_in && fast.approval_data == slow.approval_data
                    && fast.generate_request_id == slow.generate_request_id,
                "\(text)"
            )
        }
        #expect(decided > 300, "only \(decided) bodies took the fast path")
    }

    /// A field added to a body type must be added to its fast reader too, or the fast path would
    /// leave it unset while JSONDecoder reads it. The types' stored properties are checked against
    /// the fields the fast readers are known to read here, so such a change fails this test.
    @Test func fastReadersCoverEveryField() throws {
        func labels(_ value: Any) -> Set<String> { Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        let send = try SendRequestBody(fastPath: object(#"{"to":"+1","app":"a","kind":"otp","text":"t","otp":"1","minutes":5,"sender":"S","async":true}"#))
        #expect(labels(send) == ["to", "app", "kind", "text", "otp", "minutes", "sender", "async"])
        #expect([send.kind, send.text, send.otp, send.sender].allSatisfy { $0 != nil } && send.minutes == 5 && send.async == true)

        let otp = try OTPBody(
            fastPath: object(
                #"{"channel":"sms","identifier_type":"phone_number","identifier":"+1","custom_sms_input":{"custom_message":"m","sender_id":"S"},"custom_phone_number":"+2","expires_in":5,"approval_data":{"a":"b"},"generate_request_id":true}"#
            )
        )
        #expect(
            labels(otp) == [
                "channel", "identifier_type", "identifier", "custom_sms_input", "custom_phone_number", "expires_in", "approval_data",
                "generate_request_id",
            ]
        )
        #expect(otp.custom_sms_input.map(labels) == ["custom_message", "sender_id"])
        #expect(otp.custom_sms_input?.custom_message == "m" && otp.custom_sms_input?.sender_id == "S" && otp.custom_phone_number == "+2")
        #expect(otp.expires_in == 5 && otp.approval_data == ["a": "b"] && otp.generate_request_id == true)

        typealias Authenticate = MosaicOTPController<SwitchboardRequestContext>.AuthenticateBody
        let authenticate = try Authenticate(
            fastPath: object(#"{"passcode":"1","identifier_type":"t","identifier":"i","request_id":"r","session_id":"s","resource":"x"}"#)
        )
        #expect(labels(authenticate) == ["passcode", "identifier_type", "identifier", "request_id", "session_id", "resource"])
        #expect([authenticate.request_id, authenticate.session_id, authenticate.resource] == ["r", "s", "x"])

        #expect(labels(try MosaicSessionsController<SwitchboardRequestContext>.RefreshBody(fastPath: object(#"{"refresh_token":"r"}"#))) == ["refresh_token"])
        #expect(labels(try MosaicSessionsController<SwitchboardRequestContext>.LogoutBody(fastPath: object(#"{"session_id":"s"}"#))) == ["session_id"])
        let sms = try MosaicGatewayController<SwitchboardRequestContext>.SMS(fastPath: object(#"{"phone_number":"+1","sender_id":"S","message":"m"}"#))
        #expect(labels(sms) == ["phone_number", "sender_id", "message"])
        #expect(sms.sender_id == "S")
    }
}
