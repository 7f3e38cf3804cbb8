/// `apps.ID.custom_phone_number:` — whether a send may name another number than the user's own,
/// and how many such sends a user may make in an hour.
package struct CustomPhoneNumberPolicy: Sendable, Equatable {
    /// `allow:`; off by default, as it lets one user send codes to any number.
    package var allow: Bool = false
    /// `max_sends_per_hour:`, counted per user over all the numbers the user names.
    package var maxSendsPerHour: Int = 3

    package init(allow: Bool = false, maxSendsPerHour: Int = 3) {
        self.allow = allow
        self.maxSendsPerHour = maxSendsPerHour
    }
}

extension AppSettings {
    /// The send rules as the parser reads them, before they go into the app.
    struct SendRules {
        var senders: [SenderID] = []
        var linkDomains: [String] = []
        var customPhoneNumber = CustomPhoneNumberPolicy()
    }
}
