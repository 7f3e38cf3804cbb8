package import SwitchboardCore

/// The client (and so the app) a call is made for, from its Bearer token.
///
/// A class, so that what the request context carries is one reference: the context is copied into
/// every async frame the request passes through, middleware by middleware, and an app's settings
/// held inline would make each of those frames, and the memory a request in flight holds, that
/// much larger (and each copy retain every string and array of the settings).
package final class ClientContext: Sendable {
    package let clientID: String
    package let app: AppSettings

    package init(clientID: String, app: AppSettings) {
        self.clientID = clientID
        self.app = app
    }

    /// This client as the owner of the sessions it opens.
    package var sessionOwner: SessionOwner {
        SessionOwner(app: app.id, clientID: clientID)
    }
}


/// `POST /cis/v1/users`, decoded.
package struct NewUserInput: Sendable {
    package var phoneNumber: String?
    package var email: String?
    package var username: String?
    package var externalUserID: String?
    package var nameJSON: String?
    package var customDataJSON: String?

    package init(phoneNumber: String?, email: String?, username: String?, externalUserID: String?, nameJSON: String?, customDataJSON: String?) {
        self.phoneNumber = phoneNumber
        self.email = email
        self.username = username
        self.externalUserID = externalUserID
        self.nameJSON = nameJSON
        self.customDataJSON = customDataJSON
    }
}

/// `POST /cis/v1/auth/otp/send`, decoded.
package struct SendOTPInput: Sendable {
    package var channel: String
    package var identifierType: String
    package var identifier: String
    package var customMessage: String?
    package var senderID: String?
    package var customPhoneNumber: String?
    package var expiresInMinutes: Int?
    package var approvalData: [String: String]?
    package var generateRequestID: Bool
    /// The client address `otp.per_address` counts by: the app's trusted header's value, or the
    /// connection's address; `nil` when the request has none.
    package var clientAddress: String?

    package init(
        channel: String, identifierType: String, identifier: String, customMessage: String? = nil, senderID: String? = nil,
        customPhoneNumber: String? = nil, expiresInMinutes: Int? = nil, approvalData: [String: String]? = nil,
        generateRequestID: Bool = false
    ) {
        self.channel = channel
        self.identifierType = identifierType
        self.identifier = identifier
        self.customMessage = customMessage
        self.senderID = senderID
        self.customPhoneNumber = customPhoneNumber
        self.expiresInMinutes = expiresInMinutes
        self.approvalData = approvalData
        self.generateRequestID = generateRequestID
    }
}

/// What a send produced for the caller.
package struct SendOTPResult: Sendable, Equatable {
    /// Only for the `direct` channel.
    package var code: String?
    package var requestID: String?
    package var approvalData: [String: String]?
}

/// `POST /cis/v1/auth/otp/authenticate`, decoded.
package struct AuthenticateInput: Sendable {
    package var passcode: String
    package var identifierType: String
    package var identifier: String
    package var requestID: String?
    package var sessionID: String?
    package var resource: String?

    package init(passcode: String, identifierType: String, identifier: String, requestID: String? = nil, sessionID: String? = nil, resource: String? = nil) {
        self.passcode = passcode
        self.identifierType = identifierType
        self.identifier = identifier
        self.requestID = requestID
        self.sessionID = sessionID
        self.resource = resource
    }
}

/// User tokens.
package struct TokenSet: Sendable, Equatable {
    package var accessToken: String
    package var idToken: String
    package var refreshToken: String
    package var expiresIn: Int
    package var sessionID: String
}

/// A client access token.
package struct ClientToken: Sendable, Equatable {
    package var accessToken: String
    package var expiresIn: Int
}

/// Phone numbers as logs may show them.
package enum PhoneMask {
    /// `+447700900123` → `+44*******123`: the calling code's first digits and the last three, enough
    /// to tell numbers apart in a conversation, not to dial.
    package static func mask(_ number: String) -> String {
        guard number.count > 6 else { return String(repeating: "*", count: number.count) }
        return String(number.prefix(3)) + String(repeating: "*", count: number.count - 6) + String(number.suffix(3))
    }
}
