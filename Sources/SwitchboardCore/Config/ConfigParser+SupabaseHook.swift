extension ConfigParser {
    /// `supabase_hook: { secrets: [${SUPABASE_HOOK_SECRET}] }` of one app; `nil` inside the result
    /// when the app has none.
    static func readSupabaseHook(_ node: ConfigNode?) -> SupabaseHookSettings?? {
        guard let node else { return .some(nil) }
        guard let fields = node.mapping(allowedKeys: ["secrets"]) else { return nil }
        guard let list = required(fields, "secrets", in: node), let items = list.sequence() else { return nil }
        guard !items.isEmpty else {
            list.report("\(list.describedPath) is empty; give the secret Supabase shows for the Send SMS hook, normally ${ENV}")
            return nil
        }
        var secrets: [StandardWebhookSecret] = []
        var valid = true
        for item in items {
            guard let text = item.nonEmptyString() else {
                valid = false
                continue
            }
            switch StandardWebhookSecret.parse(text.value) {
            case .success(let secret): secrets.append(secret)
            case .failure(let problem):
                item.report("\(item.describedPath) \(problem)")
                valid = false
            }
        }
        return valid ? .some(SupabaseHookSettings(secrets: secrets)) : nil
    }
}
