package import Foundation

/// A person who logs in: one per tenant (this daemon), a member of one or more apps.
package struct LoginUser: Sendable, Hashable, Codable {
    package var id: String
    /// E.164.
    package var phoneNumber: String?
    package var phoneNumberVerified: Bool
    package var phoneNumberVerifiedAt: Date?
    /// Lowercased.
    package var email: String?
    package var username: String?
    package var externalUserID: String?
    /// The `name` object as the client sent it, JSON text, returned as it is.
    package var nameJSON: String?
    /// The `custom_data` object as the client sent it, JSON text.
    package var customDataJSON: String?
    package var status: LoginUserStatus
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: String, phoneNumber: String?, phoneNumberVerified: Bool = false, phoneNumberVerifiedAt: Date? = nil,
        email: String? = nil, username: String? = nil, externalUserID: String? = nil, nameJSON: String? = nil,
        customDataJSON: String? = nil, status: LoginUserStatus = .active, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.phoneNumber = phoneNumber
        self.phoneNumberVerified = phoneNumberVerified
        self.phoneNumberVerifiedAt = phoneNumberVerifiedAt
        self.email = email
        self.username = username
        self.externalUserID = externalUserID
        self.nameJSON = nameJSON
        self.customDataJSON = customDataJSON
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Mosaic's user statuses; only `Active` users may log in.
package enum LoginUserStatus: String, Sendable, Hashable, Codable {
    case active = "Active"
    case disabled = "Disabled"
    case pending = "Pending"
}

/// How a request names a user.
package enum UserIdentifier: Sendable, Hashable {
    case userID(String)
    case phoneNumber(String)
    case email(String)
    case username(String)
}

/// What creating a user did.
package enum CreateUserOutcome: Sendable, Hashable {
    /// A new user, owned by the app and a member of it.
    case created(LoginUser)
    /// A user the app may see already had exactly these identifiers; it was added to the app, unchanged.
    case addedToApp(LoginUser)
    /// The identifier (`phone_number`, `email`, `username`) belongs to a member of the app already.
    case taken(field: String)
    /// The identifiers given match a user the app may see but `field` disagrees with it, or they
    /// match two different users (`field` is one that names the second). Nothing was stored.
    case conflict(field: String)
}
