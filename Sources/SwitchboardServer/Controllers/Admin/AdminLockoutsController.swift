import Foundation
import Hummingbird
import Logging
import SwitchboardCore

/// `GET` and `DELETE /admin/apps/{app}/lockouts/{phone}`: whether a user is locked out after
/// wrong codes, and ending it (support unlocking a user).
struct AdminLockoutsController<Context: RequestContext> {
    let configuration: ConfigurationReloader
    let store: any LoginStore & LockoutRelease
    /// The clock of the OTP flow, which sets the locks.
    let clock: any SwitchboardClock

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("apps/{app}/lockouts/{phone}", use: show)
        group.delete("apps/{app}/lockouts/{phone}", use: unlock)
    }

    struct Lockout: ResponseEncodable {
        var app: String
        var user_id: String
        var locked: Bool
        var locked_until: Date?
        /// On `DELETE`: whether a lock was ended.
        var unlocked: Bool?
    }

    func show(_ request: Request, context: Context) async throws -> Lockout {
        let (app, user) = try await user(context)
        let until = try await store.lockedUntil(app: app, userID: user, now: clock.date)
        return Lockout(app: app, user_id: user, locked: until != nil, locked_until: until)
    }

    func unlock(_ request: Request, context: Context) async throws -> Lockout {
        let (app, user) = try await user(context)
        let ended = try await store.unlock(app: app, userID: user, now: clock.date)
        context.logger.notice("lockout ended by an operator", metadata: ["sb.app": "\(app)", "sb.user.id": "\(user)", "sb.unlocked": "\(ended)"])
        return Lockout(app: app, user_id: user, locked: false, locked_until: nil, unlocked: ended)
    }

    /// The app and the id of its user with the phone number of the path.
    private func user(_ context: Context) async throws -> (app: String, user: String) {
        let appID = try context.parameters.require("app")
        let phone = try context.parameters.require("phone")
        let config = configuration.current.config
        guard let app = config.app(appID) else {
            throw APIError.notFound("there is no app '\(appID)'; configured: \(config.apps.map(\.id).joined(separator: ", "))")
        }
        let number: String
        do {
            number = try PhoneNumberParser.parse(phone.removingPercentEncoding ?? phone).e164
        } catch {
            throw APIError.badRequest("invalid_number", "'\(phone)' is not a valid phone number: \(error)")
        }
        guard let user = try await store.user(.phoneNumber(number), in: app.userScope) else {
            throw APIError.notFound("app '\(app.id)' has no user with this phone number")
        }
        return (app.id, user.id)
    }
}
