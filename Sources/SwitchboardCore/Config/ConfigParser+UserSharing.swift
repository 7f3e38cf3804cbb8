/// One app's `users.shared_with`, with where each name was written.
struct UserSharingDeclaration {
    var app: String
    /// The `shared_with` node, where problems with the list as a whole are reported.
    var node: ConfigNode
    var names: [ConfigString]
}

extension ConfigParser {
    static let userKeys = ["shared_with"]

    /// `apps.ID.users`, or `nil` when it is malformed (reported). An app without it shares nothing.
    /// - Parameters:
    ///   - node: The `users` node, if the app has one.
    ///   - appNode: The app's node, where an app without `users` would be reported.
    static func readUserSharing(_ node: ConfigNode?, app: String, appNode: ConfigNode) -> UserSharingDeclaration? {
        guard let node else { return UserSharingDeclaration(app: app, node: appNode, names: []) }
        guard let fields = node.mapping(allowedKeys: userKeys) else { return nil }
        guard let list = fields["shared_with"] else { return UserSharingDeclaration(app: app, node: node, names: []) }
        guard let names = list.stringList() else { return nil }
        return UserSharingDeclaration(app: app, node: list, names: names)
    }

    /// Checks every app's `users.shared_with` against the others and fills in `usersSharedWith`.
    ///
    /// Sharing must be declared by both apps, so that neither app's entry alone can open the other's
    /// users; and by whole groups (if a shares with b and b with c, a lists c too), so that the users
    /// one app sees are exactly those the others in its group see, and identifiers stay unique in it.
    /// - Parameters:
    ///   - apps: The apps that were read.
    ///   - declarations: Their declarations.
    ///   - appIDs: Every app id in the file, including apps with problems of their own.
    static func applyUserSharing(_ apps: inout [AppSettings], declarations: [UserSharingDeclaration], appIDs: [String]) {
        var shared: [String: [String]] = [:]
        for declaration in declarations {
            var names: [String] = []
            for name in declaration.names {
                let path = declaration.node.describedPath
                if name.value == declaration.app {
                    name.node.report("\(path) lists the app itself; an app always sees its own users, so list only other apps")
                } else if !appIDs.contains(name.value) {
                    let others = appIDs.filter { $0 != declaration.app }
                    name.node.report("\(path) names app \(name.quoted), which is not defined under 'apps'\(Suggestion.didYouMean(name.value, among: others)); defined: \(others.joined(separator: ", "))")
                } else if names.contains(name.value) {
                    name.node.report("app '\(name.value)' is listed twice in \(path)")
                } else {
                    names.append(name.value)
                }
            }
            shared[declaration.app] = names
        }
        for declaration in declarations {
            let mine = shared[declaration.app] ?? []
            for name in declaration.names where mine.contains(name.value) {
                let theirs = shared[name.value] ?? []
                if !theirs.contains(declaration.app) {
                    name.node.report("app '\(declaration.app)' shares its users with '\(name.value)', but '\(name.value)' does not share its users with '\(declaration.app)'; sharing must be declared by both apps: add '\(declaration.app)' to 'apps.\(name.value).users.shared_with'")
                    continue
                }
                for third in theirs where third != declaration.app && !mine.contains(third) {
                    declaration.node.report("apps '\(declaration.app)' and '\(third)' both share users with '\(name.value)', so the three form one group; add '\(third)' to \(declaration.node.describedPath) (users are shared by whole groups)")
                }
            }
        }
        for index in apps.indices {
            apps[index].usersSharedWith = shared[apps[index].id] ?? []
        }
    }

    /// `apps.ID.resources`: absolute URIs (RFC 8707) a client of the app may ask a token for.
    static func readResources(_ node: ConfigNode?) -> [String]? {
        guard let node else { return [] }
        guard let items = node.stringList() else { return nil }
        var resources: [String] = []
        var valid = true
        for item in items {
            guard isAbsoluteURIWithoutFragment(item.value) else {
                item.node.report("\(node.describedPath) has \(item.quoted); write an absolute URI without a #fragment, such as https://api.example.com")
                valid = false
                continue
            }
            if resources.contains(item.value) {
                item.node.report("\(item.quoted) is listed twice in \(node.describedPath)")
            }
            resources.append(item.value)
        }
        return valid ? resources : nil
    }

    private static func isAbsoluteURIWithoutFragment(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCIILetter,
            scheme.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "+" || $0 == "-" || $0 == "." })
        else { return false }
        return !text.contains("#") && !text.contains(where: \.isWhitespace)
    }
}
