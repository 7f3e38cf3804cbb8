/// Which users one app's calls may see.
///
/// Every user is owned by the app that created it. An app sees the users it owns and those owned by
/// the apps it shares users with (`apps.ID.users.shared_with`), and of those only the ones that are
/// members of it: a shared user must still be added to the app (`POST /cis/v1/users`) first.
package struct UserScope: Sendable, Hashable {
    /// The app making the call.
    package var app: String
    /// `app` and the apps it shares users with: the owners whose users it may find.
    package var owners: [String]

    package init(app: String, sharedWith: [String] = []) {
        self.app = app
        self.owners = [app] + sharedWith.filter { $0 != app }
    }
}
