package import SwitchboardCore

extension LoginService {
    /// Creates a user in the app, or adds to it the user with these identifiers that the app may
    /// see (its own, or one of an app it shares users with).
    /// - Returns: The user and whether it was created (`false`: added to the app).
    /// - Throws: ``UserInputError``; ``IdentifierConflictError`` when the identifiers are taken in the
    ///   app, disagree with the user they match, or match two users.
    package func createUser(_ input: NewUserInput, client: ClientContext) async throws -> (LoginUser, created: Bool) {
        var problems: [String] = []
        var phone: String?
        if let given = input.phoneNumber {
            do {
                let number = try PhoneNumberParser.parse(given)
                // The parser forgives blanks before the `+`; a new user's number must be written exactly.
                guard given.hasPrefix("+") else { throw PhoneNumberError.missingPlus(input: given) }
                phone = number.e164
            } catch {
                problems.append("phone_number must be a valid phone number in E.164 format, such as +447700900123")
            }
        }
        let email = input.email?.lowercased()
        if let email, !Self.looksLikeEmail(email) { problems.append("email must be a valid email address") }
        if let username = input.username, username.isEmpty || username.count > 256 {
            problems.append("username must be 1 to 256 characters")
        }
        if input.phoneNumber == nil, email == nil { problems.append("An email or a phone_number are required") }
        guard problems.isEmpty else { throw UserInputError(messages: problems) }
        let at = clock.date
        let user = LoginUser(
            id: OTPCodes.randomID(),
            phoneNumber: phone,
            email: email,
            username: input.username,
            externalUserID: input.externalUserID,
            nameJSON: input.nameJSON,
            customDataJSON: input.customDataJSON,
            createdAt: at,
            updatedAt: at
        )
        switch try await store.createUser(user, in: client.app.userScope) {
        case .created(let user): return (user, true)
        case .addedToApp(let user): return (user, false)
        case .taken(let field): throw IdentifierConflictError.taken(field: field)
        case .conflict(let field): throw IdentifierConflictError.mismatch(field: field)
        }
    }

    /// The app's user with this phone number, or `nil`: also for a number that is not valid, which
    /// no user can have (Mosaic answers such a lookup as not found, not as bad input).
    package func user(phoneNumber: String, client: ClientContext) async throws -> LoginUser? {
        let number: PhoneNumber
        do {
            number = try PhoneNumberParser.parse(phoneNumber)
        } catch {
            return nil
        }
        return try await store.user(.phoneNumber(number.e164), in: client.app.userScope)
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ") && text.count <= 254
    }
}
