/// `apps.ID:` — one app that sends messages and logs people in.
package struct AppSettings: Sendable, Equatable {
    /// The id used in API calls and route conditions.
    package var id: String
    /// The display name that fills `{app}`.
    package var name: String
    /// The OTP message; it contains `{otp}`.
    package var message: MessageTemplate
    package var otp: OTPPolicy
    /// Lines added to OTP messages so phones can fill the code in by themselves.
    package var extras: OTPExtras
    package var countries: CountryPolicy
    /// `clients:` — the OIDC clients that may get client access tokens for this app.
    package var clients: [OAuthClient] = []
    /// `unknown_users:` — whether an unknown user gets Mosaic's 404 (`reveal`) or the answer a known one gets (`conceal`).
    package var unknownUsers: UnknownUserAnswer = .reveal
    /// `allow_direct_channel:` — whether `channel: direct` (the code in the answer, no SMS) is allowed.
    package var allowDirectChannel: Bool = false
    /// `users.shared_with:` — the other apps whose users this app's clients may find, attach and log in.
    /// Declared by both sides and by whole groups (the parser checks it), so the relation is symmetric.
    package var usersSharedWith: [String] = []
    /// `resources:` — the `resource` values a client of this app may ask a client token for (its `aud`).
    package var resources: [String] = []
    /// `supabase_hook:` — whether Supabase Auth's Send SMS hook may send this app's codes, and its secrets.
    package var supabaseHook: SupabaseHookSettings?
    /// `twilio_api:` — the account through which the app's Twilio SDK sends, if it has one.
    package var twilioAPI: TwilioAPISettings?
    /// `webhook:` — where the app's events are POSTed, if anywhere.
    package var webhook: WebhookSettings?
    /// `senders:` — alphanumeric senders a send's `custom_sms_input.sender_id` may name besides the route's own.
    package var senders: [SenderID] = []
    /// `link_domains:` — the domains (and their subdomains) a custom message may link to; none by default.
    package var linkDomains: [String] = []
    /// `custom_phone_number:` — whether a send may go to another number than the user's, and how often.
    package var customPhoneNumber = CustomPhoneNumberPolicy()

    /// The users this app's calls may see: its own and those of the apps it shares users with.
    package var userScope: UserScope {
        UserScope(app: id, sharedWith: usersSharedWith)
    }
}

/// One OIDC client of an app (`apps.ID.clients[]`).
package struct OAuthClient: Sendable, Equatable {
    package var id: String
    package var secret: String

    package init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}

/// How the OTP API answers about users it does not know.
package enum UnknownUserAnswer: String, Sendable, Equatable {
    /// 404 `user_not_found`, as Mosaic does.
    case reveal
    /// Exactly as for a known user (same status, body and timing), sending nothing.
    case conceal
}

/// How an app's one-time passcodes behave.
package struct OTPPolicy: Sendable, Equatable {
    /// Digits in a code, 4 to 10.
    package var codeLength: Int = 6
    /// How long a code stays valid.
    package var expiresIn: Duration = .seconds(300)
    /// Wrong codes allowed before the identifier is locked, 1 to 20.
    package var maxFailures: Int = 3
    /// How long a lock lasts.
    package var lockout: Duration = .seconds(900)
    /// The least time between two codes sent to one number.
    package var resendAfter: Duration = .seconds(30)
    /// The most codes sent to one number in an hour.
    package var maxSendsPerHour: Int = 10
    /// `number_types:` — the kinds of line a code may be sent to; the rest are refused before
    /// anything is stored or sent (premium-rate and satellite ranges are how SMS pumping pays).
    package var numberTypes: Set<NumberType> = NumberType.otpDefault
    /// `budgets:` — sends per country and in all, per hour and per day, shared by every daemon
    /// that shares the store.
    package var budgets = SendBudgets()
    /// `velocity:` — many distinct numbers under one prefix block it; `nil` (`velocity: off`) never blocks.
    package var velocity: PrefixVelocityRule? = PrefixVelocityRule()
    /// `per_address:` — codes per client address per hour; off unless configured.
    package var perAddress: PerAddressLimit?
    /// `conversion:` — few verified codes in a country or prefix slow its sends; `nil` (`conversion: off`) never slows.
    package var conversion: ConversionRule? = ConversionRule()

    package init() {}

    /// Validity in whole minutes, rounded up: what `{minutes}` says.
    package var expiresInMinutes: Int {
        Int((expiresIn.wholeSeconds + 59) / 60)
    }
}

/// Which destination countries an app may send to.
package struct CountryPolicy: Sendable, Equatable {
    /// When set, only these countries.
    package var allow: Set<String>?
    /// Never these countries.
    package var deny: Set<String> = []

    package init(allow: Set<String>? = nil, deny: Set<String> = []) {
        self.allow = allow
        self.deny = deny
    }

    package func permits(_ country: String) -> Bool {
        !deny.contains(country) && (allow?.contains(country) ?? true)
    }
}
