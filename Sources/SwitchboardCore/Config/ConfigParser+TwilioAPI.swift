extension ConfigParser {
    /// `twilio_api: { account_sid: AC..., auth_token: ${ENV}, allow_from: false, allow_private_callbacks: false }` of one app;
    /// `nil` inside the result when the app has none.
    static func readTwilioAPI(_ node: ConfigNode?) -> TwilioAPISettings?? {
        guard let node else { return .some(nil) }
        guard let fields = node.mapping(allowedKeys: ["account_sid", "auth_token", "allow_from", "allow_private_callbacks"]) else { return nil }
        let sid = required(fields, "account_sid", in: node)?.nonEmptyString()
        let token = required(fields, "auth_token", in: node)?.nonEmptyString()
        var valid = true
        if let sid, !TwilioAPISettings.isAccountSID(sid.value) {
            sid.node.report("\(sid.node.describedPath) is \(sid.quoted); an account SID is AC followed by 32 hex digits, as the Twilio SDKs require")
            valid = false
        }
        if let token, token.value.count < 16 {
            token.node.report("\(token.node.describedPath) is shorter than 16 characters; use a long random value, such as the output of `openssl rand -hex 16`")
            valid = false
        }
        var allowFrom = false
        if let flag = fields["allow_from"] {
            guard let value = flag.boolean() else { return nil }
            allowFrom = value
        }
        var allowPrivateCallbacks = false
        if let flag = fields["allow_private_callbacks"] {
            guard let value = flag.boolean() else { return nil }
            allowPrivateCallbacks = value
        }
        guard valid, let sid, let token else { return nil }
        return .some(TwilioAPISettings(accountSID: sid.value, authToken: token.value, allowFrom: allowFrom, allowPrivateCallbacks: allowPrivateCallbacks))
    }

    /// An account SID names one app in the whole file: the Messages API finds the app by it.
    static func checkTwilioAccountsUnique(_ apps: [AppSettings], node: ConfigNode?) {
        var seen: [String: String] = [:]
        for app in apps {
            guard let sid = app.twilioAPI?.accountSID.uppercased() else { continue }
            if let other = seen[sid] {
                node?.report("twilio_api account_sid \(sid) is used by apps '\(other)' and '\(app.id)'; each app needs an account SID of its own")
            }
            seen[sid] = app.id
        }
    }
}
