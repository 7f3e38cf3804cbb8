/// The rule for creating a user whose identifiers may already be in use, which every store applies
/// inside its critical section: a create either finds one user that agrees with every identifier
/// given, or creates a new one; it never merges disagreeing identifiers into an existing user.
package enum UserMatching {
    /// The identifier fields, in the order they are checked and reported.
    package static var fields: [(name: String, value: KeyPath<LoginUser, String?>)] {
        [("phone_number", \.phoneNumber), ("email", \.email), ("username", \.username)]
    }

    /// What to do, given the users the app may see that share an identifier with `candidate`.
    /// - Parameters:
    ///   - candidate: The user the request describes.
    ///   - matches: Each visible user found for an identifier field of `candidate`, with that field.
    ///   - isMember: Whether a user is already a member of the calling app.
    package static func decide(
        candidate: LoginUser, matches: [(field: String, user: LoginUser)], isMember: (LoginUser) -> Bool
    ) -> UserMatchDecision {
        guard let first = matches.first else { return .create }
        if let other = matches.first(where: { $0.user.id != first.user.id }) {
            return .refuse(.conflict(field: other.field))
        }
        for field in fields {
            if let given = candidate[keyPath: field.value], first.user[keyPath: field.value] != given {
                return .refuse(.conflict(field: field.name))
            }
        }
        if isMember(first.user) { return .refuse(.taken(field: first.field)) }
        return .addToApp(first.user)
    }
}

/// What ``UserMatching/decide(candidate:matches:isMember:)`` says a create should do.
package enum UserMatchDecision: Sendable, Hashable {
    /// Store the candidate as a new user of the app.
    case create
    /// Add this existing user to the app, unchanged.
    case addToApp(LoginUser)
    /// Store nothing and answer this.
    case refuse(CreateUserOutcome)
}
