import SwitchboardCore

extension UserIdentifier {
    /// Reads a request's `identifier_type` and `identifier` into a store identifier.
    /// - Returns: The identifier and, for `phone_number`, the number it names.
    /// - Throws: ``LoginError/invalidInput(_:)`` naming the field that is wrong.
    static func read(type: String, value: String) throws(LoginError) -> (identifier: UserIdentifier, phoneNumber: PhoneNumber?) {
        switch type {
        case "phone_number":
            let number: PhoneNumber
            do {
                number = try PhoneNumberParser.parse(value)
            } catch {
                throw .invalidInput("identifier must be a valid phone number in E.164 format when identifier_type is phone_number")
            }
            return (.phoneNumber(number.e164), number)
        case "email": return (.email(value.lowercased()), nil)
        case "user_id": return (.userID(value), nil)
        case "username": return (.username(value), nil)
        default:
            throw .invalidInput("identifier_type must be one of phone_number, email, user_id, username")
        }
    }
}
