import Foundation
import SwitchboardCore

/// A ``SendOTPInput`` that passed every check that needs no store or network: what to send, how,
/// and for how long, read into typed values.
struct ValidSendOTPInput: Sendable {
    /// The `direct` channel: the code is returned, not sent.
    let direct: Bool
    let identifier: UserIdentifier
    /// The number the identifier names, when `identifier_type` is `phone_number`.
    let identifierNumber: PhoneNumber?
    let template: MessageTemplate?
    let sender: SenderID?
    let expiresInMinutes: Int
    let approvalData: [String: String]?
    /// `custom_phone_number`: where to send instead of the user's own number.
    let customNumber: PhoneNumber?
    let generateRequestID: Bool
    /// The client address a per-address limit counts, when the app has one.
    let clientAddress: String?

    /// - Throws: ``LoginError/invalidInput(_:)`` naming the first field that is wrong, in the order
    ///   the fields are checked: identifier, channel, identifier type, message, sender, expiry,
    ///   approval data, custom number; ``LoginError/refused(_:)`` for a link the app does not allow
    ///   in the message, or a custom number when the app allows none.
    init(_ input: SendOTPInput, app: AppSettings) throws(LoginError) {
        guard !input.identifier.isEmpty else { throw .invalidInput("identifier must not be empty") }
        direct = try Self.isDirect(channel: input.channel, app: app)
        (identifier, identifierNumber) = try UserIdentifier.read(type: input.identifierType, value: input.identifier)
        template = try Self.template(input.customMessage, app: app)
        sender = try Self.sender(input.senderID)
        expiresInMinutes = try Self.expiry(input.expiresInMinutes, app: app)
        try Self.checkApprovalData(input.approvalData)
        approvalData = input.approvalData
        customNumber = try Self.customNumber(input.customPhoneNumber, app: app)
        generateRequestID = input.generateRequestID
        clientAddress = try Self.clientAddress(input.clientAddress, app: app)
    }

    private static func isDirect(channel: String, app: AppSettings) throws(LoginError) -> Bool {
        switch channel {
        case "sms": return false
        case "direct":
            guard app.allowDirectChannel else {
                throw .invalidInput("channel direct is not allowed for this app; set allow_direct_channel: true in its configuration")
            }
            return true
        case "email": throw .invalidInput("channel email is not supported by this server; use sms")
        default: throw .invalidInput("channel must be sms or direct")
        }
    }

    private static func template(_ text: String?, app: AppSettings) throws(LoginError) -> MessageTemplate? {
        guard let text else { return nil }
        guard text.count <= 140 else { throw .invalidInput("custom_sms_input.custom_message must be at most 140 characters") }
        guard text.contains("{otp}"), text.contains("{app}") else {
            throw .invalidInput("custom_sms_input.custom_message must contain the {otp} and {app} placeholders")
        }
        for host in MessageLinks.hosts(in: text) where !MessageLinks.isAllowed(host: host, domains: app.linkDomains) {
            throw .refused(.link(host: host, allowed: app.linkDomains))
        }
        do {
            return try MessageTemplate(parsing: text)
        } catch {
            throw .invalidInput("custom_sms_input.custom_message: \(error)")
        }
    }

    private static func sender(_ text: String?) throws(LoginError) -> SenderID? {
        guard let text else { return nil }
        let sender: SenderID
        do {
            sender = try SenderID(parsing: text)
        } catch {
            throw .invalidInput("custom_sms_input.sender_id: \(error)")
        }
        guard sender.isAlphanumeric, text.count <= 11 else {
            throw .invalidInput("custom_sms_input.sender_id must be an alphanumeric sender of at most 11 characters, such as ACME")
        }
        return sender
    }

    private static func expiry(_ minutes: Int?, app: AppSettings) throws(LoginError) -> Int {
        guard let minutes else { return app.otp.expiresInMinutes }
        guard (1...1440).contains(minutes) else { throw .invalidInput("expires_in must be a whole number of minutes from 1 to 1440") }
        return minutes
    }

    private static func checkApprovalData(_ data: [String: String]?) throws(LoginError) {
        guard let data else { return }
        guard data.count <= 10 else { throw .invalidInput("approval_data may have at most 10 keys") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        for (key, value) in data where key.isEmpty || !key.allSatisfy(allowed.contains) || !value.allSatisfy(allowed.contains) {
            throw .invalidInput("approval_data keys and values may contain only letters, digits, _, - and .")
        }
    }

    /// The first address of the value (a proxy's header may list several), when the app counts by address.
    private static func clientAddress(_ text: String?, app: AppSettings) throws(LoginError) -> String? {
        guard let rule = app.otp.perAddress else { return nil }
        let first = text?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces) ?? ""
        let addressCharacters = Set("0123456789abcdefABCDEF:.")
        guard !first.isEmpty, first.count <= 45, first.allSatisfy(addressCharacters.contains) else {
            let source = rule.header.map { "the \($0) header" } ?? "the connection"
            throw .invalidInput("\(source) must carry the client's IP address: this app limits codes per client address (otp.per_address)")
        }
        return first.lowercased()
    }

    private static func customNumber(_ text: String?, app: AppSettings) throws(LoginError) -> PhoneNumber? {
        guard let text else { return nil }
        guard app.customPhoneNumber.allow else { throw .refused(.customPhoneNumberNotAllowed) }
        do {
            return try PhoneNumberParser.parse(text)
        } catch {
            throw .invalidInput("custom_phone_number must be a valid phone number in E.164 format")
        }
    }
}
