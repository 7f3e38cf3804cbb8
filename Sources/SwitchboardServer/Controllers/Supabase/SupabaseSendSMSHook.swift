/// What Supabase Auth posts to its Send SMS hook. Supabase sends the whole user object and more;
/// only these fields are read, the rest is ignored as the hook contract expects.
struct SupabaseSendSMSHook: Decodable {
    struct User: Decodable {
        /// The user's number, digits without `+` as Supabase stores it (a `+` is accepted too).
        var phone: String?
    }

    struct SMS: Decodable {
        /// The code Supabase made and will check itself.
        var otp: String
        /// Where to send it, when Supabase gives it: on a number change it differs from the user's.
        var phone: String?
    }

    var user: User?
    var sms: SMS

    /// The number to send to, in the `+` form our parser reads.
    var destination: String? {
        guard let text = [sms.phone, user?.phone].compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return nil }
        return text.hasPrefix("+") ? text : "+" + text
    }
}
