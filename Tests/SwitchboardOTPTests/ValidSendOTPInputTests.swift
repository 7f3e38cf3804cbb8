import SwitchboardCore
import Testing

@testable import SwitchboardOTP

/// The checks of a send that need no store and no network, on the value alone.
@Suite struct ValidSendOTPInputTests {
    let app: AppSettings

    init() throws {
        app = try #require(try OTPTest.config().apps.first)
    }

    func problem(_ input: SendOTPInput, app: AppSettings? = nil) -> LoginError? {
        do {
            _ = try ValidSendOTPInput(input, app: app ?? self.app)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsAPhoneIdentifierIntoItsNumber() throws {
        let send = try ValidSendOTPInput(SendOTPInput(channel: "sms", identifierType: "phone_number", identifier: OTPTest.phone), app: app)
        #expect(send.identifier == .phoneNumber(OTPTest.phone))
        #expect(send.identifierNumber?.e164 == OTPTest.phone)
        #expect(!send.direct)
        #expect(send.expiresInMinutes == app.otp.expiresInMinutes)
        #expect(send.customNumber == nil)
    }

    @Test func otherIdentifiersHaveNoNumber() throws {
        let send = try ValidSendOTPInput(SendOTPInput(channel: "sms", identifierType: "email", identifier: "Ann@Example.com"), app: app)
        #expect(send.identifier == .email("ann@example.com"))
        #expect(send.identifierNumber == nil)
    }

    @Test func eachFieldIsCheckedAndNamed() {
        func input(
            channel: String = "sms",
            type: String = "phone_number",
            identifier: String = OTPTest.phone,
            message: String? = nil,
            sender: String? = nil,
            custom: String? = nil,
            minutes: Int? = nil,
            approval: [String: String]? = nil
        ) -> SendOTPInput {
            SendOTPInput(
                channel: channel,
                identifierType: type,
                identifier: identifier,
                customMessage: message,
                senderID: sender,
                customPhoneNumber: custom,
                expiresInMinutes: minutes,
                approvalData: approval
            )
        }
        #expect(problem(input(identifier: "")) == .invalidInput("identifier must not be empty"))
        #expect(problem(input(channel: "pigeon")) == .invalidInput("channel must be sms or direct"))
        #expect(problem(input(channel: "email")) == .invalidInput("channel email is not supported by this server; use sms"))
        #expect(
            problem(input(channel: "direct"))
                == .invalidInput("channel direct is not allowed for this app; set allow_direct_channel: true in its configuration")
        )
        #expect(problem(input(type: "nickname")) == .invalidInput("identifier_type must be one of phone_number, email, user_id, username"))
        #expect(
            problem(input(identifier: "12345"))
                == .invalidInput("identifier must be a valid phone number in E.164 format when identifier_type is phone_number")
        )
        #expect(
            problem(input(message: "no placeholders"))
                == .invalidInput("custom_sms_input.custom_message must contain the {otp} and {app} placeholders")
        )
        #expect(
            problem(input(sender: "+447700900123"))
                == .invalidInput("custom_sms_input.sender_id must be an alphanumeric sender of at most 11 characters, such as ACME")
        )
        #expect(problem(input(minutes: 0)) == .invalidInput("expires_in must be a whole number of minutes from 1 to 1440"))
        #expect(problem(input(approval: ["a b": "c"])) == .invalidInput("approval_data keys and values may contain only letters, digits, _, - and ."))
        var allowing = app
        allowing.customPhoneNumber.allow = true
        #expect(problem(input(custom: "not a number"), app: allowing) == .invalidInput("custom_phone_number must be a valid phone number in E.164 format"))
        #expect(problem(input(custom: "+447700900789")) == .refused(.customPhoneNumberNotAllowed))
        #expect(
            problem(input(message: "{app} code {otp}: http://evil.example/x?c={otp}"))
                == .refused(.link(host: "evil.example", allowed: []))
        )
    }

    @Test func theFirstWrongFieldIsTheOneNamed() {
        let input = SendOTPInput(channel: "pigeon", identifierType: "nickname", identifier: "x", expiresInMinutes: 0)
        #expect(problem(input) == .invalidInput("channel must be sms or direct"))
    }

    @Test func directNeedsTheAppToAllowIt() throws {
        var direct = app
        direct.allowDirectChannel = true
        let send = try ValidSendOTPInput(SendOTPInput(channel: "direct", identifierType: "user_id", identifier: "u1"), app: direct)
        #expect(send.direct)
    }
}
