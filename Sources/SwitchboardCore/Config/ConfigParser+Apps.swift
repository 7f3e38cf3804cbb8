extension ConfigParser {
    static let appKeys = [
        "name", "message", "otp", "web_otp_domain", "android_app_hash", "countries", "clients", "unknown_users",
        "allow_direct_channel", "users", "resources", "supabase_hook", "twilio_api", "senders", "link_domains", "custom_phone_number",
        "webhook",
    ]
    static let otpKeys = ["code_length", "expires_in", "max_failures", "lockout", "resend_after", "max_sends_per_hour", "number_types", "budgets", "velocity", "per_address", "conversion"]

    static func readApps(_ node: ConfigNode?) -> [AppSettings] {
        var apps: [AppSettings] = []
        var sharing: [UserSharingDeclaration] = []
        let entries = node?.namedEntries(kind: "app")?.entries ?? []
        for (id, value) in entries {
            if let (app, declaration) = readApp(id: id, value) {
                apps.append(app)
                sharing.append(declaration)
            }
        }
        applyUserSharing(&apps, declarations: sharing, appIDs: entries.map(\.key))
        return apps
    }

    private static func readApp(id: String, _ node: ConfigNode) -> (AppSettings, UserSharingDeclaration)? {
        guard let fields = node.mapping(allowedKeys: appKeys) else { return nil }
        let name = required(fields, "name", in: node)?.nonEmptyString()
        let message = required(fields, "message", in: node).flatMap { readTemplate($0, requiresOTP: true) }
        let otp = readOTPPolicy(fields["otp"])
        let extras = readExtras(fields)
        let countries = readCountryPolicy(fields["countries"])
        let clients = readClients(fields["clients"])
        var unknownUsers = UnknownUserAnswer.reveal
        if let node = fields["unknown_users"], let text = node.nonEmptyString() {
            if let answer = UnknownUserAnswer(rawValue: text.value) {
                unknownUsers = answer
            } else {
                node.report("\(node.describedPath) is \(text.quoted); write reveal (404 user_not_found, as Mosaic) or conceal (answer as for a known user)")
                return nil
            }
        }
        var allowDirect = false
        if let node = fields["allow_direct_channel"] {
            guard let flag = node.boolean() else { return nil }
            allowDirect = flag
        }
        let sharing = readUserSharing(fields["users"], app: id, appNode: node)
        let resources = readResources(fields["resources"])
        let supabaseHook = readSupabaseHook(fields["supabase_hook"])
        let twilioAPI = readTwilioAPI(fields["twilio_api"])
        let webhook = readWebhook(fields["webhook"])
        let sendRules = readSendRules(fields)
        guard let name, let message, let otp, let extras, let countries, let clients, let sharing, let resources, let supabaseHook, let twilioAPI,
            let sendRules, let webhook
        else {
            return nil
        }
        var app = AppSettings(id: id, name: name.value, message: message, otp: otp, extras: extras, countries: countries)
        app.clients = clients
        app.unknownUsers = unknownUsers
        app.allowDirectChannel = allowDirect
        app.resources = resources
        app.supabaseHook = supabaseHook
        app.twilioAPI = twilioAPI
        app.webhook = webhook
        app.senders = sendRules.senders
        app.linkDomains = sendRules.linkDomains
        app.customPhoneNumber = sendRules.customPhoneNumber
        return (app, sharing)
    }

    private static func readClients(_ node: ConfigNode?) -> [OAuthClient]? {
        guard let node else { return [] }
        guard let items = node.sequence() else { return nil }
        var clients: [OAuthClient] = []
        var valid = true
        for item in items {
            guard let fields = item.mapping(allowedKeys: ["id", "secret"]),
                let id = required(fields, "id", in: item)?.nonEmptyString(),
                let secret = required(fields, "secret", in: item)?.nonEmptyString()
            else {
                valid = false
                continue
            }
            if secret.value.count < 16 {
                secret.node.report("the secret of client '\(id.value)' is shorter than 16 characters; use a long random value")
                valid = false
                continue
            }
            clients.append(OAuthClient(id: id.value, secret: secret.value))
        }
        return valid ? clients : nil
    }

    /// A client id names one client in the whole file: the token endpoint finds the app by it.
    static func checkClientIDsUnique(_ apps: [AppSettings], node: ConfigNode?) {
        var seen: [String: String] = [:]
        for app in apps {
            for client in app.clients {
                if let other = seen[client.id] {
                    node?.report("client id '\(client.id)' is used by apps '\(other)' and '\(app.id)'; each client id must be unique")
                }
                seen[client.id] = app.id
            }
        }
    }

    private static func readOTPPolicy(_ node: ConfigNode?) -> OTPPolicy? {
        var policy = OTPPolicy()
        guard let node else { return policy }
        guard let fields = node.mapping(allowedKeys: otpKeys) else { return nil }
        var valid = true
        func read<T>(_ key: String, _ reader: (ConfigNode) -> T?, into keyPath: WritableKeyPath<OTPPolicy, T>) {
            guard let field = fields[key] else { return }
            if let value = reader(field) { policy[keyPath: keyPath] = value } else { valid = false }
        }
        read("code_length", { $0.integer(in: 4...10) }, into: \.codeLength)
        read("expires_in", { $0.duration(in: .seconds(30)...Duration.seconds(86_400)) }, into: \.expiresIn)
        read("max_failures", { $0.integer(in: 1...20) }, into: \.maxFailures)
        read("lockout", { $0.duration(in: .seconds(1)...Duration.seconds(86_400)) }, into: \.lockout)
        read("resend_after", { $0.duration(in: .zero...Duration.seconds(3600)) }, into: \.resendAfter)
        read("max_sends_per_hour", { $0.integer(in: 1...1000) }, into: \.maxSendsPerHour)
        read("number_types", readNumberTypes, into: \.numberTypes)
        read("budgets", readBudgets, into: \.budgets)
        read("velocity", readVelocity, into: \.velocity)
        read("per_address", readPerAddress, into: \.perAddress)
        read("conversion", readConversion, into: \.conversion)
        return valid ? policy : nil
    }

    private static func readExtras(_ fields: OrderedEntries) -> OTPExtras? {
        var valid = true
        func read(_ key: String, check: (String) -> String?) -> String? {
            guard let node = fields[key], let text = node.nonEmptyString() else { return nil }
            if let problem = check(text.value) {
                node.report("\(node.describedPath): \(problem)")
                valid = false
                return nil
            }
            return text.value
        }
        let domain = read("web_otp_domain", check: OTPExtras.problem(withWebOTPDomain:))
        let hash = read("android_app_hash", check: OTPExtras.problem(withAndroidAppHash:))
        return valid ? OTPExtras(webOTPDomain: domain, androidAppHash: hash) : nil
    }

    private static func readCountryPolicy(_ node: ConfigNode?) -> CountryPolicy? {
        guard let node else { return CountryPolicy() }
        guard let fields = node.mapping(allowedKeys: ["allow", "deny"]) else { return nil }
        let allow = fields["allow"].map(readCountries)
        let deny = fields["deny"].map(readCountries)
        if case .some(nil) = allow { return nil }
        if case .some(nil) = deny { return nil }
        return CountryPolicy(allow: allow ?? nil, deny: (deny ?? nil) ?? [])
    }

    /// ISO 3166 alpha-2 codes; each wrong one is reported with what was probably meant.
    static func readCountries(_ node: ConfigNode) -> Set<String>? {
        guard let items = node.stringList() else { return nil }
        var countries: Set<String> = []
        var valid = true
        for item in items {
            let code = item.value
            if CountryCodes.iso3166Alpha2.contains(code) {
                if !countries.insert(code).inserted {
                    item.node.report("country \(code) is listed twice in \(node.describedPath)")
                }
                continue
            }
            valid = false
            let hint = CountryCodes.suggestion(for: code).map { " (did you mean \($0)?)" } ?? ""
            item.node.report("\(item.quoted) in \(node.describedPath) is not an ISO 3166 alpha-2 country code\(hint); write two capital letters such as GB, US or FR")
        }
        return valid ? countries : nil
    }
}
