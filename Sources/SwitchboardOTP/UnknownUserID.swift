import Crypto
import Foundation
import SwitchboardCore

/// The id under which conceal mode keeps the codes, failures and lockout of an identifier that
/// names no user, so that it goes through the same states as a user's.
enum UnknownUserID {
    /// A keyed hash of the identifier: stable, so failures add up; unreadable, so the store holds no
    /// identifier of someone who is not a user; and prefixed with a `:`, which real user ids
    /// (base64url) never contain, so it can never be a user's.
    static func make(for identifier: UserIdentifier, key: SymmetricKey) -> String {
        let name: String
        switch identifier {
        case .phoneNumber(let value): name = "phone_number:\(value)"
        case .email(let value): name = "email:\(value)"
        case .username(let value): name = "username:\(value)"
        case .userID(let value): name = "user_id:\(value)"
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("unknown-user:v1:\(name)".utf8), using: key)
        return "unknown:" + Data(mac).base64URLEncoded
    }
}
