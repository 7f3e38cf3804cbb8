package import ServiceLifecycle
package import SwitchboardCore

/// A store the daemon and the commands run on, whichever database holds it: every kind of state,
/// and its lifecycle (a `Service` that closes it at graceful shutdown, or ``close()`` by hand).
package protocol DurableStore: MessageStore, InboxStore, UserStore, OTPStore, SecretStore, SessionStore, SendBudgetStore, PrefixVelocityStore, ConversionStore, WebhookStore, Service {
    /// Finishes what is under way and releases the database. Closing twice is harmless.
    func close() async throws
}

extension SQLiteStore: DurableStore {}
