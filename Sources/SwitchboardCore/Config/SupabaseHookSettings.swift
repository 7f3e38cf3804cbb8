/// `apps.ID.supabase_hook:` — Supabase Auth's "Send SMS" hook may ask this app to send its codes.
///
/// Supabase signs each call as Standard Webhooks do; the secrets are the ones given to Supabase
/// (`GOTRUE_HOOK_SEND_SMS_SECRETS`). Several secrets let one be replaced without a gap.
package struct SupabaseHookSettings: Sendable, Equatable {
    package var secrets: [StandardWebhookSecret]

    package init(secrets: [StandardWebhookSecret]) {
        self.secrets = secrets
    }
}
